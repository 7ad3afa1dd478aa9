/**
 * File capabilities from their text form (as `getcap` prints them and RPM's FILECAPS stores
 * them: `cap_net_raw=ep`, `cap_chown,cap_fowner+ep`, `= cap_sys_admin+eip`) to the value of
 * the `security.capability` extended attribute: struct vfs_cap_data, revision 2, little endian.
 */

/** Linux capability names by number. */
const CAPABILITIES: readonly string[] = [
  'chown',
  'dac_override',
  'dac_read_search',
  'fowner',
  'fsetid',
  'kill',
  'setgid',
  'setuid',
  'setpcap',
  'linux_immutable',
  'net_bind_service',
  'net_broadcast',
  'net_admin',
  'net_raw',
  'ipc_lock',
  'ipc_owner',
  'sys_module',
  'sys_rawio',
  'sys_chroot',
  'sys_ptrace',
  'sys_pacct',
  'sys_admin',
  'sys_boot',
  'sys_nice',
  'sys_resource',
  'sys_time',
  'sys_tty_config',
  'mknod',
  'lease',
  'audit_write',
  'audit_control',
  'setfcap',
  'mac_override',
  'mac_admin',
  'syslog',
  'wake_alarm',
  'block_suspend',
  'audit_read',
  'perfmon',
  'bpf',
  'checkpoint_restore',
];

const VFS_CAP_REVISION_2 = 0x02000000;
const VFS_CAP_FLAGS_EFFECTIVE = 0x000001;
/** vfs_cap_data v2 holds two 32-bit words per set. */
const MAX_BITS = 64;

export class CapabilityTextError extends Error {
  override name = 'CapabilityTextError';
}

interface CapabilitySets {
  effective: bigint;
  inheritable: bigint;
  permitted: bigint;
}

function capabilityBit(name: string, text: string): bigint {
  const lower = name.toLowerCase();
  const number = /^\d+$/.test(lower)
    ? Number(lower)
    : lower.startsWith('cap_')
      ? CAPABILITIES.indexOf(lower.slice(4))
      : -1;
  if (number < 0) {
    throw new CapabilityTextError(
      `unknown capability ${JSON.stringify(name)} in ${JSON.stringify(text)}`,
    );
  }
  if (number >= MAX_BITS) {
    throw new CapabilityTextError(`capability ${name} does not fit a file capability set`);
  }
  return 1n << BigInt(number);
}

function capabilityMask(list: string, text: string): bigint {
  if (list === '' || list.toLowerCase() === 'all') return (1n << BigInt(CAPABILITIES.length)) - 1n;
  let mask = 0n;
  for (const name of list.split(',')) mask |= capabilityBit(name, text);
  return mask;
}

const FLAG_SETS = { e: 'effective', i: 'inheritable', p: 'permitted' } as const;

/** Applies one clause (`names` then operator/flag groups such as `=p+e`) to the sets. */
function applyClause(sets: CapabilitySets, clause: string, text: string): void {
  const match = /^([^=+-]*)((?:[=+-][eipEIP]*)+)$/.exec(clause);
  if (match === null || (match[1] === '' && !match[2]?.startsWith('='))) {
    throw new CapabilityTextError(
      `cannot read ${JSON.stringify(clause)} in ${JSON.stringify(text)}`,
    );
  }
  const mask = capabilityMask(match[1] ?? '', text);
  for (const [, operator, flags] of (match[2] ?? '').matchAll(/([=+-])([eipEIP]*)/g)) {
    const chosen = new Set((flags ?? '').toLowerCase());
    for (const [letter, set] of Object.entries(FLAG_SETS)) {
      const selected = chosen.has(letter);
      if (operator === '=') sets[set] = selected ? sets[set] | mask : sets[set] & ~mask;
      else if (selected && operator === '+') sets[set] |= mask;
      else if (selected && operator === '-') sets[set] &= ~mask;
    }
  }
}

function word(value: bigint, index: number): number {
  return Number((value >> BigInt(32 * index)) & 0xffffffffn);
}

/**
 * The raw `security.capability` value for a capability text, or undefined when the text grants
 * nothing. Throws CapabilityTextError for text the kernel's format cannot represent, including an
 * effective set that is neither empty nor equal to permitted ∪ inheritable (a file has a single
 * effective flag).
 */
export function encodeFileCapabilities(text: string): Uint8Array | undefined {
  const sets: CapabilitySets = { effective: 0n, inheritable: 0n, permitted: 0n };
  for (const clause of text.trim().split(/\s+/)) {
    if (clause !== '') applyClause(sets, clause, text);
  }
  const granted = sets.permitted | sets.inheritable;
  if (granted === 0n) {
    if (sets.effective !== 0n) {
      throw new CapabilityTextError(
        `${JSON.stringify(text)} makes capabilities effective without permitting them`,
      );
    }
    return undefined;
  }
  if (sets.effective !== 0n && sets.effective !== granted) {
    throw new CapabilityTextError(
      `${JSON.stringify(text)}: a file's effective set must be empty or all of its permitted and inheritable capabilities`,
    );
  }
  const value = new Uint8Array(20);
  const view = new DataView(value.buffer);
  view.setUint32(
    0,
    VFS_CAP_REVISION_2 | (sets.effective === 0n ? 0 : VFS_CAP_FLAGS_EFFECTIVE),
    true,
  );
  for (let index = 0; index < 2; index += 1) {
    view.setUint32(4 + index * 8, word(sets.permitted, index), true);
    view.setUint32(8 + index * 8, word(sets.inheritable, index), true);
  }
  return value;
}

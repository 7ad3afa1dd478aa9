/**
 * Decoding of the `security.capability` extended attribute (struct vfs_cap_data) into the text
 * form that getcap prints, such as `cap_net_bind_service,cap_net_raw=ep`.
 */

/** Linux capability numbers 0..40, in kernel order. */
const CAPABILITY_NAMES: readonly string[] = [
  'cap_chown',
  'cap_dac_override',
  'cap_dac_read_search',
  'cap_fowner',
  'cap_fsetid',
  'cap_kill',
  'cap_setgid',
  'cap_setuid',
  'cap_setpcap',
  'cap_linux_immutable',
  'cap_net_bind_service',
  'cap_net_broadcast',
  'cap_net_admin',
  'cap_net_raw',
  'cap_ipc_lock',
  'cap_ipc_owner',
  'cap_sys_module',
  'cap_sys_rawio',
  'cap_sys_chroot',
  'cap_sys_ptrace',
  'cap_sys_pacct',
  'cap_sys_admin',
  'cap_sys_boot',
  'cap_sys_nice',
  'cap_sys_resource',
  'cap_sys_time',
  'cap_sys_tty_config',
  'cap_mknod',
  'cap_lease',
  'cap_audit_write',
  'cap_audit_control',
  'cap_setfcap',
  'cap_mac_override',
  'cap_mac_admin',
  'cap_syslog',
  'cap_wake_alarm',
  'cap_block_suspend',
  'cap_audit_read',
  'cap_perfmon',
  'cap_bpf',
  'cap_checkpoint_restore',
];

const REVISION_MASK = 0xff000000;
const REVISION_1 = 0x01000000;
const REVISION_2 = 0x02000000;
const REVISION_3 = 0x03000000;
const FLAG_EFFECTIVE = 0x000001;

function capabilityName(bit: number): string {
  return CAPABILITY_NAMES[bit] ?? `cap_${bit}`;
}

/**
 * The text form of a `security.capability` value, or undefined when the value is not a
 * capability set this can represent (unknown revision, wrong length, or a v3 value bound to a
 * user namespace root other than 0).
 */
export function decodeFileCapabilities(value: Uint8Array): string | undefined {
  if (value.length < 4) {
    return undefined;
  }
  const view = new DataView(value.buffer, value.byteOffset, value.length);
  const magic = view.getUint32(0, true);
  const revision = (magic & REVISION_MASK) >>> 0;
  const words =
    revision === REVISION_1 && value.length === 12
      ? 1
      : (revision === REVISION_2 && value.length === 20) ||
          (revision === REVISION_3 && value.length === 24)
        ? 2
        : 0;
  if (words === 0 || (revision === REVISION_3 && view.getUint32(20, true) !== 0)) {
    return undefined;
  }
  if ((magic & ~REVISION_MASK & ~FLAG_EFFECTIVE) !== 0) {
    return undefined;
  }
  const effective = (magic & FLAG_EFFECTIVE) !== 0;
  const groups = new Map<string, string[]>();
  for (let word = 0; word < words; word += 1) {
    const permitted = view.getUint32(4 + word * 8, true);
    const inheritable = view.getUint32(8 + word * 8, true);
    for (let bit = 0; bit < 32; bit += 1) {
      const mask = 2 ** bit;
      const p = (permitted & mask) !== 0;
      const i = (inheritable & mask) !== 0;
      if (!p && !i) {
        continue;
      }
      const flags = `${effective ? 'e' : ''}${i ? 'i' : ''}${p ? 'p' : ''}`;
      const names = groups.get(flags) ?? [];
      names.push(capabilityName(word * 32 + bit));
      groups.set(flags, names);
    }
  }
  if (groups.size === 0) {
    return undefined;
  }
  return [...groups].map(([flags, names]) => `${names.join(',')}=${flags}`).join(' ');
}

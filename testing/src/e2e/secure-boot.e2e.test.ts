import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import { Vm } from '@levitate/tools/qemu';
import type { BootModeName, SecureBootState } from '@levitate/tools/qemu';
import { BUILDER_BINS, builderOf } from '../workspace.ts';
import { buildFromFixture } from './fixture-build.ts';

/**
 * Secure Boot with your own keys, on every variant: keys from the builder's `sb-keys`, an ISO
 * signed with them that carries them for systemd-boot to enrol, and the same ISO unsigned.
 * Firmware enrolled with another key (the ovmf test key) refuses both; setup-mode firmware
 * takes the keys from systemd-boot, resets, and then boots the signed ISO enforcing. (The
 * variant-iso suite boots ISOs signed with the test key in both UEFI modes.)
 */
const CHOSEN = (process.env['E2E_SECURE_BOOT_VARIANTS'] ?? 'acorn,iuppiter,levitate').split(',');

/** OVMF's line for a boot option whose image does not verify. */
const REFUSED = /failed to load Boot\d+ "UEFI QEMU (?:DVD-ROM|USB)[^"]*" from \S+: Access Denied/;
/** Its next option, the UEFI shell, which the test key did not sign either: nothing ran. */
const SHELL_REFUSED = /failed to start Boot\d+ "EFI Internal Shell" from \S+: Security Violation/;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'secure-boot-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.each(CHOSEN)('%s', (variant) => {
  const bin = builderOf(variant);
  let id: string;
  let signed: string;
  let unsigned: string;

  beforeAll(async () => {
    const spec = await loadVariant(variant);
    id = spec.id;
    const keys = join(work, `keys-${bin}`);
    const made = await execa(process.execPath, [BUILDER_BINS[bin], 'sb-keys', '--out', keys], {
      reject: false,
    });
    expect(made.exitCode, String(made.stderr)).toBe(0);
    expect(String(made.stdout)).toContain(`--sb-key ${join(keys, 'db.key')}`);
    const cache = join(work, 'cache');
    const own = await buildFromFixture(bin, {
      out: join(work, `${bin}-own`),
      cache,
      extra: [
        '--sb-key',
        join(keys, 'db.key'),
        '--sb-cert',
        join(keys, 'db.crt'),
        '--sb-enroll',
        keys,
        '--sb-enroll-mode',
        'force',
      ],
    });
    expect(own.exitCode, own.stderr).toBe(0);
    const plain = await buildFromFixture(bin, { out: join(work, `${bin}-unsigned`), cache });
    expect(plain.exitCode, plain.stderr).toBe(0);
    signed = join(work, `${bin}-own`, artifactName(spec, { kind: 'iso' }));
    unsigned = join(work, `${bin}-unsigned`, artifactName(spec, { kind: 'iso' }));
  }, 900_000);

  async function boot(
    iso: string,
    name: string,
    mode: BootModeName,
    secureBoot: SecureBootState,
  ): Promise<Vm> {
    return Vm.start({
      iso,
      mode,
      secureBoot,
      allowReboot: secureBoot === 'setup-mode',
      stateDir: join(work, `vm-${bin}-${name}`),
      memoryMiB: 1024,
    });
  }

  it.each([
    ['unsigned', () => unsigned],
    ['signed with its own keys', () => signed],
  ])(
    'is refused by firmware enrolled with another key when %s',
    async (name, iso) => {
      const vm = await boot(iso(), name.replaceAll(' ', '-'), 'uefi-cd', 'test-key');
      try {
        await vm.waitFor(REFUSED, 120_000);
        await vm.waitFor(SHELL_REFUSED, 60_000);
        expect(vm.log).not.toMatch(/Linux version|systemd-boot|LIVE-CHECK/);
      } finally {
        await vm.stop();
      }
    },
    180_000,
  );

  it('enrols its keys on setup-mode firmware, then boots with Secure Boot enforcing', async () => {
    const vm = await boot(signed, 'enrol', 'uefi-usb', 'setup-mode');
    try {
      await vm.waitFor(/Enrolling secure boot keys from directory: \\loader\\keys\\auto/, 120_000);
      const verdict = await vm.waitFor(/(LIVE-CHECK-(?:OK|FAILED)[^\r\n]*)\r?\n/, 300_000);
      expect(verdict[1]).toBe(`LIVE-CHECK-OK id=${id} root=overlay secureboot=on`);
      expect(await vm.check('ls /sys/firmware/efi/efivars | grep -c -E "^(PK|KEK|db)-"')).toBe(
        '3\n',
      );
    } finally {
      await vm.stop();
    }
  }, 420_000);
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_TOOLS } from '../core/host-tools.ts';
import { describeWithReference, hostTool, reference } from '../test-support/index.ts';
import { bootModeArgs, machineFor } from './boot-modes.ts';
import { FIRMWARE_DESCRIPTOR_DIRS, findUefiFirmware } from './firmware.ts';

/** A firmware descriptor as QEMU's docs/interop/firmware.json describes it. */
function descriptor(code: string, vars: string, machines: string, features: string[]): string {
  return JSON.stringify({
    'interface-types': ['uefi'],
    mapping: {
      device: 'flash',
      executable: { filename: code, format: 'raw' },
      'nvram-template': { filename: vars, format: 'raw' },
    },
    targets: [{ architecture: 'x86_64', machines: [machines] }],
    features,
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firmware-'));
  // Debian's three descriptors, in their priority order.
  await writeFile(
    join(dir, '40-secure-enrolled.json'),
    descriptor('ms.code', 'ms.vars', 'pc-q35-*', ['enrolled-keys', 'requires-smm', 'secure-boot']),
  );
  await writeFile(
    join(dir, '50-secure.json'),
    descriptor('sb.code', 'empty.vars', 'pc-q35-*', ['requires-smm', 'secure-boot']),
  );
  await writeFile(
    join(dir, '60-plain.json'),
    descriptor('plain.code', 'plain.vars', 'pc-i440fx-*', []),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findUefiFirmware', () => {
  it('takes firmware without Secure Boot or SMM for the plain UEFI modes', async () => {
    expect(await findUefiFirmware('pc-i440fx-', [dir])).toEqual({
      descriptor: join(dir, '60-plain.json'),
      code: 'plain.code',
      varsTemplate: 'plain.vars',
    });
  });

  it('takes Secure Boot firmware whose variables have no keys for q35, passing over enrolled ones', async () => {
    expect(await findUefiFirmware('pc-q35-', [dir], 'secure-boot')).toEqual({
      descriptor: join(dir, '50-secure.json'),
      code: 'sb.code',
      varsTemplate: 'empty.vars',
    });
  });

  it('names the package when there is none', async () => {
    await expect(findUefiFirmware('pc-q35-', [join(dir, 'none')], 'secure-boot')).rejects.toThrow(
      /with Secure Boot and no enrolled keys .* install the Debian package 'ovmf'/,
    );
  });
});

const OVMF = reference('Debian’s ovmf firmware', [
  hostTool('uefiFirmware'),
  hostTool('secureBootTestVars'),
]);

describeWithReference(OVMF, 'bootModeArgs with Secure Boot', () => {
  it('starts q35 with SMM and secure flash, from the test-key variables or empty ones', async () => {
    expect(machineFor('test-key')).toBe('q35,smm=on');
    expect(machineFor(undefined)).toBe('pc');
    const state = await mkdtemp(join(dir, 'vm-'));
    const withTestKey = await bootModeArgs('uefi-cd', undefined, state, 'test-key');
    expect(withTestKey).toContain('driver=cfi.pflash01,property=secure,value=on');
    const installed = await findUefiFirmware('pc-q35-', FIRMWARE_DESCRIPTOR_DIRS, 'secure-boot');
    expect(withTestKey).toContain(`if=pflash,format=raw,unit=0,readonly=on,file=${installed.code}`);
    const vars = join(state, 'OVMF_VARS.fd');
    const copied = await readFile(vars);
    expect(copied.equals(await readFile(HOST_TOOLS.secureBootTestVars.path))).toBe(true);
    await bootModeArgs('uefi-usb', undefined, state, 'setup-mode');
    expect((await readFile(vars)).equals(copied)).toBe(false);
  });

  it('refuses Secure Boot in a BIOS mode', async () => {
    await expect(bootModeArgs('bios-cd', undefined, dir, 'test-key')).rejects.toThrow(
      /needs a UEFI boot mode/,
    );
  });
});

import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { assertDoctor, describeDoctor, runDoctor } from './doctor-command.ts';
import type { DoctorReport } from './doctor-command.ts';

/** Holds stand-ins for the build's programs but depmod, which `sbin` holds. */
let bin = '';
let sbin = '';
beforeAll(async () => {
  bin = await mkdtemp(join(tmpdir(), 'levitate-doctor-'));
  sbin = join(bin, 'sbin');
  await mkdir(sbin);
  for (const program of ['xorriso', 'mkfs.fat', 'mmd', 'mcopy', 'grub-mkimage', 'sbin/depmod']) {
    await writeFile(join(bin, program), '#!/bin/sh\n');
    await chmod(join(bin, program), 0o755);
  }
});
afterAll(async () => {
  await rm(bin, { recursive: true, force: true });
});

const everyFile = { exists: async () => true };
const noFile = { exists: async () => false };
const names = (report: DoctorReport) =>
  report.tools.map(({ requirement }) =>
    requirement.kind === 'command' ? requirement.command : requirement.path,
  );

describe('runDoctor', () => {
  it('checks a build for the build tools only: no objcopy, QEMU or OVMF', async () => {
    const report = await runDoctor('build', { pathEnv: bin, ...everyFile });
    expect(report.for).toBe('build');
    expect(names(report)).not.toContain('objcopy');
    expect(names(report)).not.toContain('qemu-system-x86_64');
    expect(report.tools.map((tool) => tool.requirement.debianPackage)).not.toContain('ovmf');
    expect(report.tools.filter((tool) => !tool.found).map((tool) => tool.requirement)).toEqual([
      expect.objectContaining({ command: 'depmod', debianPackage: 'kmod' }),
    ]);
    expect(report.install).toBe('apt-get install kmod');
    expect(report.ok).toBe(false);
  });

  it('checks run for QEMU and the UEFI firmware, with its Secure Boot variables', async () => {
    const report = await runDoctor('run', { pathEnv: bin, ...noFile });
    expect(report.tools.map((tool) => [tool.requirement.debianPackage, tool.found])).toEqual([
      ['qemu-system-x86', false],
      ['ovmf', false],
      ['ovmf', false],
    ]);
    expect(report.install).toBe('apt-get install ovmf qemu-system-x86');
  });

  it('passes when everything is there', async () => {
    const report = await runDoctor('build', {
      pathEnv: `${bin}:${sbin}`,
      ...everyFile,
      nodeVersion: '22.0.0',
    });
    expect(report.ok).toBe(true);
    expect(report.install).toBeUndefined();
    expect(() => assertDoctor(report)).not.toThrow();
  });

  it('fails naming the packages when something is missing', async () => {
    const report = await runDoctor('build', { pathEnv: bin, ...noFile, nodeVersion: '22.0.0' });
    expect(() => assertDoctor(report)).toThrow(
      expect.objectContaining({
        code: 'host-missing-tools',
        hint: 'apt-get install grub-pc-bin kmod systemd-boot-efi',
      }),
    );
  });

  it('fails on an old Node.js even with every tool there', async () => {
    const report = await runDoctor('build', { pathEnv: bin, ...everyFile, nodeVersion: '20.18.1' });
    expect(report.node.ok).toBe(false);
    expect(() => assertDoctor(report)).toThrow(UserError);
  });
});

describe('describeDoctor', () => {
  it('says what it checked for, lists each tool, and ends with the one line to install', async () => {
    const report = await runDoctor('run', { pathEnv: bin, ...noFile, nodeVersion: '22.0.0' });
    expect(describeDoctor(report).split('\n')).toEqual([
      'what run needs on this host:',
      'ok  node 22.0.0 (need >= 20.19)',
      "MISSING qemu-system-x86_64: boot the built ISO in a virtual machine; Debian package 'qemu-system-x86'",
      "MISSING /usr/share/qemu/firmware/60-edk2-x86_64.json: find the UEFI firmware (OVMF) of the uefi-cd and uefi-usb boot modes; Debian package 'ovmf'",
      "MISSING /usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd: boot with the ovmf test key enrolled (--secure-boot test-key); Debian package 'ovmf'",
      'install what is missing: apt-get install ovmf qemu-system-x86',
    ]);
  });

  it('prints no install line when nothing is missing', async () => {
    const report = await runDoctor('build', { pathEnv: `${bin}:${sbin}`, ...everyFile });
    const text = describeDoctor(report);
    expect(text).toContain(`ok  xorriso (${join(bin, 'xorriso')})`);
    expect(text).not.toContain('install what is missing');
  });
});

import { readFile, realpath } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { hostKernelRelease } from '../test-support/host-kernel.ts';
import { elfIdentity, elfInterpreterAndNeeded } from './elf.ts';
import { modinfoDepends, parseModinfo } from './modinfo.ts';

const runner = createRunner();
/** The installed Debian kernel, whatever release Debian ships today. */
const KERNEL = await hostKernelRelease();

/** What binutils' readelf says about a file's interpreter and dynamic section. */
async function readelf(path: string) {
  const dynamic = (await runner.run(['readelf', '-d', '-W', path])).stdout;
  const program = (await runner.run(['readelf', '-l', '-W', path])).stdout;
  const bracketed = (label: string) =>
    [...dynamic.matchAll(new RegExp(`${label}: \\[([^\\]]*)\\]`, 'g'))].map(
      (match) => match[1] ?? '',
    );
  const split = (values: string[]) =>
    values.flatMap((value) => value.split(':')).filter((dir) => dir !== '');
  return {
    interpreter: /\[Requesting program interpreter: ([^\]]+)\]/.exec(program)?.[1],
    needed: bracketed('Shared library'),
    soname: bracketed('Library soname')[0],
    rpath: split(bracketed('Library rpath')),
    runpath: split(bracketed('Library runpath')),
  };
}

describe('elfInterpreterAndNeeded', () => {
  const hostFiles = [
    '/bin/ls',
    '/bin/busybox',
    '/usr/bin/ssh',
    '/usr/bin/curl',
    '/usr/lib/x86_64-linux-gnu/libc.so.6',
    '/usr/bin/java',
  ];

  it.each(hostFiles)('reads %s as readelf -l / -d do', async (path) => {
    const bytes = new Uint8Array(await readFile(await realpath(path)));
    const info = elfInterpreterAndNeeded(bytes);
    const expected = await readelf(path);
    expect(info.interpreter).toBe(expected.interpreter);
    expect(info.needed).toEqual(expected.needed);
    expect(info.soname).toBe(expected.soname);
    expect(info.rpath).toEqual(expected.rpath);
    expect(info.runpath).toEqual(expected.runpath);
    expect(info.machine).toBe(62);
  });

  it('finds the interpreter and libraries of a dynamic program', async () => {
    const info = elfInterpreterAndNeeded(new Uint8Array(await readFile('/bin/ls')));
    expect(info.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
    expect(info.needed).toContain('libc.so.6');
  });

  it('finds nothing to load for a static program', async () => {
    const info = elfInterpreterAndNeeded(new Uint8Array(await readFile('/bin/busybox')));
    expect(info.interpreter).toBeUndefined();
    expect(info.needed).toEqual([]);
  });

  it('keeps $ORIGIN in search paths as written', async () => {
    const info = elfInterpreterAndNeeded(
      new Uint8Array(await readFile(await realpath('/usr/bin/java'))),
    );
    expect(info.rpath).toEqual(['$ORIGIN', '$ORIGIN/../lib']);
  });

  it('rejects files that are not ELF64 little-endian', () => {
    expect(() => elfInterpreterAndNeeded(new TextEncoder().encode('#!/bin/sh\necho hi\n'))).toThrow(
      /not an ELF file/,
    );
    const elf32 = new Uint8Array(64);
    elf32.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
    expect(elfIdentity(elf32)?.elfClass).toBe(1);
    expect(() => elfInterpreterAndNeeded(elf32)).toThrow(/only ELF64 little-endian/);
  });
});

describe('.modinfo', () => {
  const modules = [
    'fs/isofs/isofs.ko',
    'drivers/scsi/sd_mod.ko',
    'drivers/usb/storage/uas.ko',
    'fs/overlayfs/overlay.ko',
  ];

  it.each(modules)('gives the same depends= and aliases as modinfo for %s', async (relative) => {
    const path = `/lib/modules/${KERNEL}/kernel/${relative}`;
    const fields = parseModinfo(new Uint8Array(await readFile(path)));
    const modinfo = async (field: string) =>
      (await runner.run(['modinfo', '-F', field, path])).stdout
        .split('\n')
        .filter((line) => line !== '');
    expect(modinfoDepends(fields)).toEqual(
      (await modinfo('depends')).flatMap((line) => line.split(',')),
    );
    expect(fields.get('alias') ?? []).toEqual(await modinfo('alias'));
    expect(fields.get('license')).toEqual(await modinfo('license'));
  });
});

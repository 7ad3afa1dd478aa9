import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeCpioNewc } from '../boot/cpio.ts';
import { assembleUki } from '../boot/uki.ts';
import { HOST_TOOLS } from '../core/host-tools.ts';
import { readCpioEntries } from './cpio-reader.ts';
import { diffEntries } from './entries.ts';
import { diffUkiSections, peSections } from './uki-sections.ts';

const meta = { mode: 0o644, uid: 0, gid: 0, mtime: 1_700_000_000 };
const text = (value: string) => new TextEncoder().encode(value);

describe('diffEntries', () => {
  it('names each kind of change once per path, with sizes and what changed', () => {
    const a = [
      { path: '/etc', type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime: 1 },
      {
        path: '/etc/motd',
        type: 'file',
        size: 5,
        sha256: 'a',
        mode: 0o644,
        uid: 0,
        gid: 0,
        mtime: 1,
      },
      {
        path: '/etc/old',
        type: 'file',
        size: 3,
        sha256: 'o',
        mode: 0o644,
        uid: 0,
        gid: 0,
        mtime: 1,
      },
      { path: '/bin', type: 'symlink', target: 'usr/bin', mode: 0o777, uid: 0, gid: 0, mtime: 1 },
      {
        path: '/usr/bin/ping',
        type: 'file',
        size: 9,
        sha256: 'p',
        mode: 0o755,
        uid: 0,
        gid: 0,
        mtime: 1,
        xattrs: { 'security.capability': '01' },
      },
    ];
    const b = [
      { path: '/etc', type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime: 2 },
      {
        path: '/etc/motd',
        type: 'file',
        size: 7,
        sha256: 'b',
        mode: 0o600,
        uid: 0,
        gid: 0,
        mtime: 1,
      },
      {
        path: '/etc/new',
        type: 'file',
        size: 4,
        sha256: 'n',
        mode: 0o644,
        uid: 0,
        gid: 0,
        mtime: 1,
      },
      { path: '/bin', type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime: 1 },
      {
        path: '/usr/bin/ping',
        type: 'file',
        size: 9,
        sha256: 'p',
        mode: 0o755,
        uid: 0,
        gid: 10,
        mtime: 1,
      },
    ];
    expect(diffEntries(a, b)).toEqual([
      {
        path: '/bin',
        kinds: ['content', 'mode'],
        size: {},
        detail: 'symlink → directory, 0777 → 0755',
      },
      { path: '/etc', kinds: ['mtime'], size: {}, detail: 'mtime 1 → 2' },
      {
        path: '/etc/motd',
        kinds: ['content', 'mode'],
        size: { a: 5, b: 7 },
        detail: '0644 → 0600',
      },
      { path: '/etc/new', kinds: ['added'], size: { b: 4 } },
      { path: '/etc/old', kinds: ['removed'], size: { a: 3 } },
      {
        path: '/usr/bin/ping',
        kinds: ['owner', 'xattr'],
        size: { a: 9, b: 9 },
        detail: '0:0 → 0:10',
      },
    ]);
    expect(diffEntries(a, a)).toEqual([]);
  });
});

describe('readCpioEntries', () => {
  it('reads a newc archive and a compressed one after it, as initramfs images are made', async () => {
    const early = writeCpioNewc([
      { type: 'directory', path: 'kernel', meta: { ...meta, mode: 0o755 } },
      { type: 'file', path: 'kernel/microcode.bin', meta, content: text('early') },
    ]);
    const main = writeCpioNewc([
      { type: 'file', path: 'init', meta: { ...meta, mode: 0o755 }, content: text('#!/bin/sh\n') },
      { type: 'symlink', path: 'bin', meta: { ...meta, mode: 0o777 }, target: 'usr/bin' },
    ]);
    const image = Buffer.concat([early, Buffer.alloc(512), gzipSync(main)]);
    const entries = await readCpioEntries(new Uint8Array(image), 'initramfs.img');
    expect(entries.map((entry) => [entry.path, entry.type, entry.size, entry.target])).toEqual([
      ['/kernel', 'directory', undefined, undefined],
      ['/kernel/microcode.bin', 'file', 5, undefined],
      ['/init', 'file', 10, undefined],
      ['/bin', 'symlink', undefined, 'usr/bin'],
    ]);
    expect(entries[2]).toMatchObject({ mode: 0o755, uid: 0, gid: 0, mtime: meta.mtime });
  });

  it('refuses what is not an initramfs, naming it', async () => {
    await expect(readCpioEntries(text('not an archive at all'), 'x.img')).rejects.toThrow(
      /^x\.img: /,
    );
    const cut = writeCpioNewc([{ type: 'file', path: 'init', meta, content: text('0123456789') }]);
    await expect(readCpioEntries(cut.subarray(0, 120), 'y.img')).rejects.toThrow(
      /y\.img: init runs past the end/,
    );
  });
});

describe('UKI sections', () => {
  it('names the sections that differ, with the kernel arguments and os-release lines', () => {
    const stub = new Uint8Array(readFileSync(HOST_TOOLS.systemdStub.path));
    const contents = {
      linux: text('kernel'),
      initrd: text('initrd'),
      osRelease: 'NAME="AcornOS"\nVERSION_ID=0.1.0\n',
      cmdline: 'console=ttyS0 rw',
      uname: '6.1.0',
      sbat: ['acornos,1,AcornOS,acornos,0.1.0,https://example.invalid'],
      timestamp: 1_700_000_000,
    };
    const a = peSections(assembleUki(stub, contents));
    const b = peSections(
      assembleUki(stub, {
        ...contents,
        cmdline: 'console=ttyS0 rw quiet',
        osRelease: 'NAME="AcornOS"\nVERSION_ID=0.2.0\n',
      }),
    );
    expect(diffUkiSections(a, a)).toEqual([]);
    const changes = diffUkiSections(a, b);
    expect(changes.map(({ section, change, text }) => ({ section, change, text }))).toEqual([
      { section: '.cmdline', change: 'content', text: { a: [], b: ['quiet'] } },
      {
        section: '.osrel',
        change: 'content',
        text: { a: ['VERSION_ID=0.1.0'], b: ['VERSION_ID=0.2.0'] },
      },
    ]);
    expect(changes[0]?.size).toEqual({
      a: a.get('.cmdline')?.length,
      b: (a.get('.cmdline')?.length ?? 0) + ' quiet'.length,
    });
  });
});

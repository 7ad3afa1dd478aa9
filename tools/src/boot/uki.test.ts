import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_TOOLS } from '../core/host-tools.ts';
import { readPeLayout } from './pe.ts';
import { assembleUki } from './uki.ts';

const STUB = HOST_TOOLS.systemdStub.path;

let dir: string;
let stub: Uint8Array;
let ukiFile: string;
const contents = {
  linux: new Uint8Array(300_001).map((_, index) => (index * 7) & 0xff),
  osRelease: 'NAME="AcornOS"\nID=acornos\nVERSION_ID=0.1.0\nPRETTY_NAME="AcornOS 0.1.0"\n',
  cmdline: 'root=live:CDLABEL=ACORNOS rd.live.image console=ttyS0,115200',
  initrd: new Uint8Array(12_345).fill(0x5a),
  uname: '9.9.9-example',
  sbat: ['acornos,1,AcornOS,acornos,0.1.0,https://acornos.org/'],
  timestamp: 1_700_000_000,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'uki-'));
  stub = new Uint8Array(await readFile(STUB));
  ukiFile = join(dir, 'test.efi');
  await writeFile(ukiFile, assembleUki(stub, contents));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A section's bytes as binutils' objcopy reads them from the image. */
function dumpSection(name: string): Buffer {
  const out = join(dir, `section${name}`);
  execFileSync('objcopy', [
    '-O',
    'binary',
    `--dump-section`,
    `${name}=${out}`,
    ukiFile,
    join(dir, 'scratch'),
  ]);
  return execFileSync('cat', [out]);
}

describe('assembleUki on the systemd stub', () => {
  it('appends the UKI sections in the UAPI canonical order, after the stub sections', () => {
    const listing = execFileSync('objdump', ['-h', ukiFile]).toString();
    const names = [...listing.matchAll(/^\s+\d+\s+(\S+)/gm)].map((match) => match[1]);
    expect(names.slice(-6)).toEqual(['.linux', '.osrel', '.cmdline', '.initrd', '.uname', '.sbat']);
    expect(names.filter((name) => name === '.sbat')).toHaveLength(1);
    expect(names).toContain('.sdmagic');
  });

  it('stores each payload byte for byte, as objcopy reads it back', () => {
    expect(dumpSection('.linux').equals(Buffer.from(contents.linux))).toBe(true);
    expect(dumpSection('.initrd').equals(Buffer.from(contents.initrd))).toBe(true);
    expect(dumpSection('.osrel').toString()).toBe(contents.osRelease);
    expect(dumpSection('.cmdline').toString()).toBe(`${contents.cmdline}\0`);
    expect(dumpSection('.uname').toString()).toBe(contents.uname);
  });

  it('keeps the stub SBAT lines and adds the variant line', () => {
    const sbat = dumpSection('.sbat').toString();
    expect(sbat).toMatch(/^sbat,1,SBAT Version/);
    expect(sbat).toMatch(/^systemd,1,The systemd Developers,systemd,/m);
    expect(sbat.trimEnd().split('\n').at(-1)).toBe(contents.sbat[0]);
  });

  it('page-aligns sections, sizes the image and stamps the given time', () => {
    const layout = readPeLayout(new Uint8Array(execFileSync('cat', [ukiFile])));
    for (const section of layout.sections.slice(-6)) {
      expect(section.virtualAddress % 4096).toBe(0);
      expect(section.rawOffset % layout.fileAlignment).toBe(0);
    }
    const header = execFileSync('objdump', ['-x', ukiFile]).toString();
    expect(header).toMatch(/Time\/Date\s+Tue Nov 14 22:13:20 2023/);
    expect(header).toMatch(/Subsystem\s+0000000a\s+\(EFI application\)/);
  });

  it('is deterministic and leaves the stub unchanged', () => {
    const copy = new Uint8Array(stub);
    expect(
      Buffer.from(assembleUki(stub, contents)).equals(Buffer.from(assembleUki(copy, contents))),
    ).toBe(true);
    expect(Buffer.from(stub).equals(Buffer.from(copy))).toBe(true);
  });

  it('leaves no byte outside the headers and sections, so every Authenticode digest agrees', async () => {
    const uki = new Uint8Array(await readFile(ukiFile));
    const layout = readPeLayout(uki);
    const spans = [
      [0, layout.sizeOfHeaders],
      ...layout.sections
        .filter((section) => section.rawSize > 0)
        .map((section) => [section.rawOffset, section.rawOffset + section.rawSize]),
    ].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    let covered = 0;
    for (const [start = 0, end = 0] of spans) {
      expect(start, 'a gap before a section').toBeLessThanOrEqual(
        Math.ceil(covered / layout.fileAlignment) * layout.fileAlignment,
      );
      covered = Math.max(covered, end);
    }
    expect(covered).toBe(uki.length);
    // The stub's COFF symbol table is left behind.
    const view = new DataView(uki.buffer, uki.byteOffset);
    expect(view.getUint32(layout.peOffset + 12, true)).toBe(0);
  });

  it('refuses to wrap an image that is already a UKI', async () => {
    const uki = new Uint8Array(await readFile(ukiFile));
    expect(() => assembleUki(uki, contents)).toThrow(/already has a \.linux section/);
  });
});

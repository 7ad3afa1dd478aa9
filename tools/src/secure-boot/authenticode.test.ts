import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PeFormatError, readPeLayout } from '../boot/pe.ts';
import { assembleUki } from '../boot/uki.ts';
import { HOST_TOOLS } from '../core/host-tools.ts';
import { describeWithReference, hostTool, reference } from '../test-support/index.ts';
import { signPeImage } from './authenticode.ts';
import { peImageDigest, signatureFields } from './pe-image-digest.ts';
import { loadSigningKey } from './signing-key.ts';
import { makeTestCertificate } from './test-keys.support.ts';
import type { SigningKey } from './signing-key.ts';

const SIGNERS = reference('sbsign, sbverify, pesign and osslsigncode', [
  hostTool('sbsign'),
  hostTool('sbverify'),
  hostTool('pesign'),
  hostTool('osslsigncode'),
  hostTool('openssl'),
  hostTool('systemdBoot'),
  hostTool('systemdStub'),
]);

let dir: string;
let key: SigningKey;
let other: SigningKey;
/** The EFI images signed here: systemd-boot as Debian ships it, and a UKI made on the stub. */
const images: { name: string; file: string; bytes: Uint8Array }[] = [];

function run(argv: readonly string[]): { status: number; output: string } {
  const result = spawnSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

async function makeKey(name: string): Promise<SigningKey> {
  return loadSigningKey(makeTestCertificate(dir, name));
}

async function signed(name: string, bytes: Uint8Array, with_ = key): Promise<string> {
  const file = join(dir, `${name}.signed.efi`);
  await writeFile(file, signPeImage(bytes, with_));
  return file;
}

describeWithReference(
  SIGNERS,
  'Authenticode signing, against sbsign, sbverify, pesign and osslsigncode',
  () => {
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'authenticode-'));
      key = await makeKey('db');
      other = await makeKey('other');
      const stub = new Uint8Array(await readFile(HOST_TOOLS.systemdStub.path));
      const uki = assembleUki(stub, {
        linux: new Uint8Array(200_003).map((_, index) => (index * 13) & 0xff),
        osRelease: 'ID=acornos\n',
        cmdline: 'console=ttyS0',
        initrd: new Uint8Array(5_001).fill(7),
        uname: '6.1.0-test',
        sbat: ['acornos,1,AcornOS,acornos,0.1.0,https://example.org/'],
        timestamp: 1_700_000_000,
      });
      images.push(
        {
          name: 'systemd-boot',
          file: HOST_TOOLS.systemdBoot.path,
          bytes: new Uint8Array(await readFile(HOST_TOOLS.systemdBoot.path)),
        },
        { name: 'uki', file: join(dir, 'uki.efi'), bytes: uki },
      );
      await writeFile(join(dir, 'uki.efi'), uki);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it.each(['systemd-boot', 'uki'])(
      '%s: sbverify and osslsigncode accept the signature',
      async (name) => {
        const image = images.find((entry) => entry.name === name);
        if (image === undefined) throw new Error(name);
        const file = await signed(name, image.bytes);
        const sbverify = run(['sbverify', '--cert', join(dir, 'db.crt'), file]);
        expect(sbverify.output).toContain('Signature verification OK');
        expect(sbverify.status).toBe(0);
        const ossl = run(['osslsigncode', 'verify', '-CAfile', join(dir, 'db.crt'), '-in', file]);
        expect(ossl.output).toContain('Signature verification: ok');
        expect(ossl.status).toBe(0);
      },
    );

    it.each(['systemd-boot', 'uki'])(
      '%s: the signed digest is the one sbsign and pesign compute',
      async (name) => {
        const image = images.find((entry) => entry.name === name);
        if (image === undefined) throw new Error(name);
        const file = await signed(name, image.bytes);
        const ours = peImageDigest(new Uint8Array(await readFile(file))).toString('hex');
        const pesign = run(['pesign', '-h', '-i', file]).output;
        expect(pesign).toContain(`hash: ${ours}`);
        const byTool = join(dir, `${name}.sbsign.efi`);
        run([
          'sbsign',
          '--key',
          join(dir, 'db.key'),
          '--cert',
          join(dir, 'db.crt'),
          '--output',
          byTool,
          image.file,
        ]);
        // sbsign's certificate table differs (it adds a signing time); what is signed does not.
        expect(peImageDigest(new Uint8Array(await readFile(byTool))).toString('hex')).toBe(ours);
        const unsigned = readPeLayout(image.bytes);
        const ourImage = new Uint8Array(await readFile(file));
        expect(readPeLayout(ourImage).sections).toEqual(unsigned.sections);
      },
    );

    it('gives the same bytes for the same key and image, unlike sbsign', async () => {
      const image = images[1]?.bytes ?? new Uint8Array();
      expect(
        Buffer.from(signPeImage(image, key)).equals(Buffer.from(signPeImage(image, key))),
      ).toBe(true);
      expect(
        Buffer.from(signPeImage(image, key)).equals(Buffer.from(signPeImage(image, other))),
      ).toBe(false);
    });

    it('is refused for another certificate, and once a signed byte changes', async () => {
      const image = images[0]?.bytes ?? new Uint8Array();
      const file = await signed('systemd-boot-other', image, other);
      expect(run(['sbverify', '--cert', join(dir, 'db.crt'), file]).status).not.toBe(0);
      const bytes = new Uint8Array(await readFile(await signed('systemd-boot-changed', image)));
      const text = readPeLayout(bytes).sections.find((section) => section.name === '.text');
      if (text === undefined) throw new Error('no .text');
      bytes[text.rawOffset + 100] = (bytes[text.rawOffset + 100] ?? 0) ^ 0xff;
      await writeFile(join(dir, 'changed.efi'), bytes);
      const verdict = run(['sbverify', '--cert', join(dir, 'db.crt'), join(dir, 'changed.efi')]);
      expect(verdict.status).not.toBe(0);
    });

    it('records the certificate table at the end and refuses to sign twice', async () => {
      const image = images[1]?.bytes ?? new Uint8Array();
      const once = signPeImage(image, key);
      const table = signatureFields(once).certificateTable;
      expect(table.offset % 8).toBe(0);
      expect(table.offset + table.size).toBe(once.length);
      expect(() => signPeImage(once, key)).toThrow(PeFormatError);
      expect(() => signPeImage(new Uint8Array(64), key)).toThrow(/MZ/);
    });
  },
);

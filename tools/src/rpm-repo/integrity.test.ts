import { readFile, readdir, rename, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { loadRpmRepository, localRepoSource } from './index.ts';
import type { RpmRepository } from './index.ts';
import { temporaryCopy } from './test-repository.ts';

const CENTOS = fixture('repodata', 'centos-stream-9-baseos-x86_64');
const OSBUILD = fixture('repodata', 'osbuild-custom-nothing-zst');
const SYNTHETIC = fixture('repodata', 'synthetic');

function load(dir: string, name = 'test'): Promise<RpmRepository> {
  return loadRpmRepository(localRepoSource(dir), { name, priority: 1, requireSignature: false });
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** Runs `damage` on a copy of `dir`, then expects loading to fail. */
async function loadDamaged(
  dir: string,
  damage: (repodata: string, files: string[]) => Promise<void>,
): Promise<UserError> {
  const copy = await temporaryCopy(dir);
  try {
    const repodata = join(copy.dir, 'repodata');
    await damage(repodata, await readdir(repodata));
    return await failure(load(copy.dir, 'damaged'));
  } finally {
    await copy.cleanup();
  }
}

function named(files: string[], part: string): string {
  const file = files.find((f) => f.includes(part));
  if (file === undefined) throw new Error(`no ${part} file`);
  return file;
}

/** Removes the `<data type="...">` entry from repomd.xml. */
async function dropData(repodata: string, type: string): Promise<void> {
  const path = join(repodata, 'repomd.xml');
  const text = await readFile(path, 'utf8');
  await writeFile(path, text.replace(new RegExp(`<data type="${type}">[\\s\\S]*?</data>`), ''));
}

describe('metadata checksums and sizes', () => {
  it('refuses a primary with one byte changed, naming the repository and file', async () => {
    const error = await loadDamaged(CENTOS, async (repodata, files) => {
      const path = join(repodata, named(files, 'primary'));
      const bytes = await readFile(path);
      bytes[400_000] = (bytes[400_000] ?? 0) ^ 0x40;
      await writeFile(path, bytes);
    });
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toMatch(
      /repository "damaged", primary metadata: sha256 checksum mismatch/,
    );
    expect((error as PackageVerifyError).file).toMatch(/-primary\.xml\.gz$/);
  });

  it('refuses a truncated primary', async () => {
    const error = await loadDamaged(CENTOS, async (repodata, files) => {
      await truncate(join(repodata, named(files, 'primary')), 500_000);
    });
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toMatch(/primary metadata: is truncated: 500000 of the 1063488 bytes/);
  });

  it('refuses a truncated primary when repomd.xml gives no size', async () => {
    const error = await loadDamaged(CENTOS, async (repodata, files) => {
      const repomd = join(repodata, 'repomd.xml');
      await writeFile(repomd, (await readFile(repomd, 'utf8')).replace('<size>1063488</size>', ''));
      await truncate(join(repodata, named(files, 'primary')), 500_000);
    });
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toMatch(/checksum mismatch/);
  });

  it('refuses a comps file that does not match', async () => {
    const error = await loadDamaged(CENTOS, async (repodata, files) => {
      const path = join(repodata, named(files, 'comps'));
      await writeFile(path, Buffer.concat([await readFile(path), Buffer.from([0])]));
    });
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toMatch(/comps \(group_gz\): is larger than the 4733 bytes/);
  });

  it('checks filelists whole before yielding any list', async () => {
    const copy = await temporaryCopy(CENTOS);
    try {
      const repodata = join(copy.dir, 'repodata');
      const path = join(repodata, named(await readdir(repodata), 'filelists'));
      const bytes = await readFile(path);
      bytes[600_000] = (bytes[600_000] ?? 0) ^ 1;
      await writeFile(path, bytes);
      const repo = await load(copy.dir);
      let yielded = 0;
      const iterate = async () => {
        for await (const _ of repo.filelists()) yielded++;
      };
      const error = await failure(iterate());
      expect(error).toBeInstanceOf(PackageVerifyError);
      expect(error.message).toMatch(/filelists metadata: sha256 checksum mismatch/);
      expect(yielded).toBe(0);
    } finally {
      await copy.cleanup();
    }
  });

  it('refuses the damaged primary among createrepo_c test repositories', async () => {
    const error = await failure(load(join(SYNTHETIC, 'createrepo_c', 'repo_01')));
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toMatch(/larger than the 782 bytes repomd.xml declares/);
  });
});

describe('metadata formats', () => {
  it('loads zstd metadata', async () => {
    const repo = await load(OSBUILD);
    expect(repo.packages).toMatchObject([
      {
        name: 'pkg-with-no-deps',
        arch: 'noarch',
        evr: { epoch: 0, version: '1.0.0', release: '0' },
        vendor: 'noone',
        license: 'BSD',
        provides: [
          { name: 'pkg-with-no-deps' },
          { name: 'pkg-with-no-deps', flags: 'EQ', epoch: '0', version: '1.0.0', release: '0' },
        ],
        requires: [],
        files: [],
      },
    ]);
    const lists = [];
    for await (const list of repo.filelists()) lists.push(list);
    expect(lists).toEqual([expect.objectContaining({ name: 'pkg-with-no-deps', files: [] })]);
  });

  it('refuses a file whose content is not what its name says', async () => {
    const error = await loadDamaged(OSBUILD, async (repodata, files) => {
      const zst = named(files, 'primary');
      await rename(join(repodata, zst), join(repodata, zst.replace('.zst', '.gz')));
      const repomd = join(repodata, 'repomd.xml');
      await writeFile(
        repomd,
        (await readFile(repomd, 'utf8')).replace(zst, zst.replace('.zst', '.gz')),
      );
    });
    expect(error).toBeInstanceOf(PackageFormatError);
    expect(error.message).toMatch(/primary metadata: is named as gzip but its content is zstd/);
  });

  it('refuses zchunk-only primary metadata and says what is supported', async () => {
    const error = await loadDamaged(join(SYNTHETIC, 'createrepo_c', 'repo_00'), (repodata) =>
      dropData(repodata, 'primary'),
    );
    expect(error).toBeInstanceOf(PackageFormatError);
    expect(error.message).toMatch(
      /offers primary only as primary_zck \(supported: primary as XML, plain or compressed with gzip, bzip2, xz, zstd\)/,
    );
  });

  it('refuses sqlite-only primary metadata', async () => {
    const dir = join(SYNTHETIC, 'createrepo_c', 'repo_with_additional_metadata');
    const error = await loadDamaged(dir, (repodata) => dropData(repodata, 'primary'));
    expect(error.message).toMatch(/offers primary only as primary_db, primary_zck/);
  });

  it('reads comps from group_gz', async () => {
    const repo = await load(join(SYNTHETIC, 'createrepo_c', 'repo_with_additional_metadata'));
    expect(repo.packages.map((p) => p.name)).toEqual(['fontconfig']);
    expect(repo.comps?.groups[0]).toEqual({
      id: '20d-printing',
      name: '20D Printing',
      mandatory: [],
      default: ['blender', 'cura'],
      optional: [],
      conditional: [],
    });
  });

  it('refuses a package whose xml:base is not a URL, naming it', async () => {
    const error = await failure(load(join(SYNTHETIC, 'libdnf', 'yum'), 'yum'));
    expect(error).toBeInstanceOf(PackageFormatError);
    expect(error.message).toMatch(
      /repository "yum", primary metadata: package mystery-devel: xml:base "disagree" is not a usable URL \(line 14/,
    );
  });
});

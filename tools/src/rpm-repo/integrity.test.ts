import { createHash } from 'node:crypto';
import { readFile, readdir, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { createRunner } from '../core/run.ts';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { MetadataMissingError, loadRpmRepository, localRepoSource } from './index.ts';
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

/**
 * Writes the decompressed comps where repomd.xml lists the plain `group` form: its checksum
 * is the compressed form's open-checksum, so the plain file is what repomd.xml describes.
 */
async function writePlainComps(repodata: string, compressed: string): Promise<string> {
  const repomd = await readFile(join(repodata, 'repomd.xml'), 'utf8');
  const href = /<data type="group">[\s\S]*?<location href="repodata\/([^"]+)"/.exec(repomd)?.[1];
  if (href === undefined) throw new Error('repomd.xml lists no plain group form');
  const plain = join(repodata, href);
  await writeFile(plain, gunzipSync(await readFile(compressed)));
  return plain;
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

  it('refuses a comps file that does not match, even when another form is present', async () => {
    const error = await loadDamaged(CENTOS, async (repodata, files) => {
      const path = join(repodata, named(files, 'comps'));
      await writePlainComps(repodata, path);
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

describe('metadata files listed but missing', () => {
  it('reports a missing primary as missing, not as damaged', async () => {
    const error = await loadDamaged(CENTOS, (repodata, files) =>
      rm(join(repodata, named(files, 'primary'))),
    );
    expect(error).toBeInstanceOf(MetadataMissingError);
    expect(error.code).toBe('metadata-missing');
    expect(error.message).toMatch(
      /^repository "damaged", primary metadata: listed in repomd\.xml but not found at file:\/\/\S+\/repodata\/[0-9a-f]{64}-primary\.xml\.gz$/,
    );
    expect(error.hint).toMatch(/another mirror/);
    expect(error.hint).not.toMatch(/damaged|fetch it again/);
  });

  it('reads comps from the next listed form when the preferred one is missing', async () => {
    const copy = await temporaryCopy(CENTOS);
    try {
      const repodata = join(copy.dir, 'repodata');
      const compressed = join(repodata, named(await readdir(repodata), 'comps'));
      const plain = await writePlainComps(repodata, compressed);
      const expected = (await load(copy.dir)).comps;
      await rm(compressed);
      const repo = await load(copy.dir);
      expect(repo.compsProblem).toBeUndefined();
      expect(repo.comps).toEqual(expected);
      expect(repo.comps?.groups.map((group) => group.id)).toContain('core');
      // Only the plain form is left; damaging it is an error again.
      await writeFile(
        plain,
        (await readFile(plain, 'utf8')).replace('<id>core</id>', '<id>kore</id>'),
      );
      const error = await failure(load(copy.dir));
      expect(error).toBeInstanceOf(PackageVerifyError);
      expect(error.message).toMatch(/comps \(group\): sha256 checksum mismatch/);
    } finally {
      await copy.cleanup();
    }
  });

  it('loads without any listed comps file and keeps the reason for group requests', async () => {
    const copy = await temporaryCopy(CENTOS);
    try {
      const repodata = join(copy.dir, 'repodata');
      await rm(join(repodata, named(await readdir(repodata), 'comps')));
      const repo = await load(copy.dir, 'no-comps');
      expect(repo.packages).toHaveLength(1125);
      expect(repo.comps).toBeUndefined();
      expect(repo.compsProblem).toBeInstanceOf(MetadataMissingError);
      expect(repo.compsProblem?.message).toMatch(
        /^repository "no-comps", comps \(group_gz, group\): listed in repomd\.xml but not found at \S+-comps-BaseOS\.x86_64\.xml\.gz and \S+-comps-BaseOS\.x86_64\.xml$/,
      );
    } finally {
      await copy.cleanup();
    }
  });

  it('keeps the reason when comps is offered only in forms that cannot be read', async () => {
    const copy = await temporaryCopy(
      join(SYNTHETIC, 'createrepo_c', 'repo_with_additional_metadata'),
    );
    try {
      const repodata = join(copy.dir, 'repodata');
      await dropData(repodata, 'group');
      await dropData(repodata, 'group_gz');
      const repo = await load(copy.dir);
      expect(repo.packages.map((p) => p.name)).toEqual(['fontconfig']);
      expect(repo.compsProblem?.message).toMatch(
        /comps: offered only as group_gz_zck, group_zck \(supported: group_zst, group_xz, group_gz, group, comps_gz, comps\)/,
      );
    } finally {
      await copy.cleanup();
    }
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

  it('prefers comps compressed with the zstd tool as group_zst, checked by its magic', async () => {
    const copy = await temporaryCopy(CENTOS);
    try {
      const repodata = join(copy.dir, 'repodata');
      const compressed = join(repodata, named(await readdir(repodata), 'comps'));
      const plain = await writePlainComps(repodata, compressed);
      const expected = (await load(copy.dir)).comps;
      await createRunner().run(['zstd', '-q', '-19', plain, '-o', `${plain}.zst`]);
      const bytes = await readFile(`${plain}.zst`);
      const digest = createHash('sha256').update(bytes).digest('hex');
      const href = `repodata/${plain.split('/').pop() ?? ''}.zst`;
      const entry = `<data type="group_zst"><checksum type="sha256">${digest}</checksum><location href="${href}"/><size>${bytes.length}</size></data>`;
      const repomd = join(repodata, 'repomd.xml');
      await writeFile(
        repomd,
        (await readFile(repomd, 'utf8')).replace('</repomd>', `${entry}</repomd>`),
      );
      await rm(compressed);
      await rm(plain);
      expect((await load(copy.dir)).comps).toEqual(expected);

      await writeFile(`${plain}.zst`, gzipSync(bytes).subarray(0, bytes.length));
      const error = await failure(load(copy.dir));
      expect(error.message).toMatch(
        /comps \(group_zst\): is named as zstd but its content is gzip/,
      );
    } finally {
      await copy.cleanup();
    }
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

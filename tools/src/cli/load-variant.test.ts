import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { makeIso } from '../iso9660-reader/test-images.support.ts';
import { expandIsoRepositories, loadVariantForCli } from './load-variant.ts';

let work: string;
let dvd: string;
let bare: string;

async function layOut(root: string, files: readonly string[]): Promise<void> {
  for (const file of files) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), file);
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'load-variant-'));
  await layOut(join(work, 'dvd'), [
    'AppStream/repodata/repomd.xml',
    'BaseOS/repodata/repomd.xml',
    'EFI/BOOT/BOOTX64.EFI',
    'RPM-GPG-KEY-Rocky-10',
    'images/install.img',
  ]);
  await layOut(join(work, 'bare'), ['README', 'docs/repodata']);
  dvd = join(work, 'Rocky-10.0-x86_64-dvd1.iso');
  bare = join(work, 'bare.iso');
  await makeIso(join(work, 'dvd'), dvd, ['-R', '-J']);
  await makeIso(join(work, 'bare'), bare, ['-R', '-J']);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('--repo with an ISO image', () => {
  it('expands a whole image into one repository per tree that holds repodata', async () => {
    const url = pathToFileURL(dvd).href;
    const keysDir = join(work, 'keys');
    for (const given of [dvd, url]) {
      expect(await expandIsoRepositories([{ url: given, keysDir }])).toEqual([
        { url: `${url}#AppStream`, name: 'appstream', keysDir },
        { url: `${url}#BaseOS`, name: 'baseos', keysDir },
      ]);
    }
  });

  it('leaves trees, folders and remote URLs alone, and keeps names unique', async () => {
    const others = [
      { url: `${dvd}#BaseOS` },
      { url: join(work, 'dvd', 'BaseOS') },
      { url: 'https://dl.rockylinux.org/pub/rocky/10/BaseOS/x86_64/os/' },
    ];
    expect(await expandIsoRepositories(others)).toEqual(others);
    const twice = await expandIsoRepositories([{ url: dvd }, { url: dvd }]);
    expect(twice.map((repository) => repository.name)).toEqual([
      'appstream',
      'baseos',
      'appstream-2',
      'baseos-2',
    ]);
  });

  it('names the image and what was looked for when it holds no repository', async () => {
    const error = await expandIsoRepositories([{ url: bare }]).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('repo-iso-no-repository');
    expect((error as UserError).message).toContain(bare);
    expect((error as UserError).message).toContain('repodata/repomd.xml');
  });

  it('resolves the variant with the image trees as its repositories', async () => {
    const spec = await loadVariantForCli('levitate', {
      repositories: [{ url: dvd }, { url: `${dvd}#BaseOS` }],
    });
    const url = pathToFileURL(dvd).href;
    expect(spec.repositories.map(({ name, url: where }) => [name, where])).toEqual([
      ['appstream', `${url}#AppStream`],
      ['baseos', `${url}#BaseOS`],
      ['override-3', `${url}#BaseOS`],
    ]);
  });
});

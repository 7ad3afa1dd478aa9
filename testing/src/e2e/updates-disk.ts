import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createRunner } from '@levitate/tools';

export interface UpdatesDisk {
  /** A raw ext4 image to attach as a second disk. */
  readonly image: string;
  /** The update ISO, with `<name>.sha256` beside it, at the top of the file system. */
  readonly isoName: string;
  /** A squashfs of the same system whose health check always fails, with its `.sha256`. */
  readonly brokenName: string;
  /** The slot UKI to install with the broken squashfs. */
  readonly brokenUkiName: string;
  /** `recipes/<name>.recipe.js`: a recipe whose source is a file of this disk. */
  readonly recipe: { readonly name: string; readonly file: string; readonly prints: string };
}

const runner = createRunner();

/**
 * The kind of release tarball the disk's recipe extracts: `.tar.zst` takes the path busybox's
 * tar needs (zstd first), `.tar.gz` GNU tar's own.
 */
export type RecipeArchive = 'tar.gz' | 'tar.zst';

/** Where the machine under test mounts this disk. */
export const UPDATES_MOUNT = '/mnt/updates';

/**
 * A recipe as a user writes one: its source, pinned by SHA-256, is a release tarball on the
 * updates disk (read as a file:// URL); the recipe extracts it with the image's own tar (and
 * gzip or zstd), its build turns the script inside into the program with sed, as the build user in the
 * sandbox, and its install puts the program in /usr/local/bin.
 */
async function addRecipe(
  content: string,
  work: string,
  archive: RecipeArchive,
): Promise<UpdatesDisk['recipe']> {
  const prints = 'hello from a recipe';
  const release = join(work, 'hello-release');
  await mkdir(join(release, 'hello-1.0'), { recursive: true });
  await writeFile(join(release, 'hello-1.0', 'hello.in'), '#!/bin/sh\necho "@GREETING@"\n');
  await mkdir(join(content, 'recipe-sources'), { recursive: true });
  const tarball = join(content, 'recipe-sources', `hello-1.0.${archive}`);
  const compression = archive === 'tar.gz' ? '--gzip' : '--zstd';
  await runner.run([
    'tar',
    '-C',
    release,
    '--owner=0',
    '--group=0',
    compression,
    '-cf',
    tarball,
    'hello-1.0',
  ]);
  const digest = createHash('sha256')
    .update(await readFile(tarball))
    .digest('hex');
  const recipe = `export const pkg = {
  name: 'hello',
  version: '1.0',
  description: 'prints a greeting',
  sources: [{ url: 'file://${UPDATES_MOUNT}/recipe-sources/hello-1.0.${archive}', sha256: '${digest}' }],
};
export async function acquire(ctx) { await ctx.download(pkg.sources[0]); }
export async function build(ctx) {
  await ctx.extract('${archive}');
  await ctx.shell('sed "s/@GREETING@/${prints}/" hello-1.0/hello.in > hello');
}
export async function install(ctx) { await ctx.installBin('hello'); }
`;
  await mkdir(join(content, 'recipes'), { recursive: true });
  await writeFile(join(content, 'recipes', 'hello.recipe.js'), recipe);
  return { name: 'hello', file: 'recipes/hello.recipe.js', prints };
}

/**
 * The file system a machine under test reads its updates from: the update ISO and its
 * checksum as a build publishes them, a deliberately broken squashfs made from that ISO's
 * own by adding a health check that fails (`/etc/recupdate/health.d/99-broken`), and a
 * recipe with its source.
 */
export async function makeUpdatesDisk(options: {
  work: string;
  iso: string;
  brokenSlotUki: string;
  recipeArchive: RecipeArchive;
}): Promise<UpdatesDisk> {
  const content = join(options.work, 'content');
  await mkdir(content, { recursive: true });
  const isoName = basename(options.iso);
  await copyFile(options.iso, join(content, isoName));
  await copyFile(`${options.iso}.sha256`, join(content, `${isoName}.sha256`));

  const squashfs = join(options.work, 'squashfs.img');
  const xorriso = ['xorriso', '-no_rc', '-osirrox', 'on', '-indev', options.iso, '-extract'];
  await runner.run([...xorriso, '/LiveOS/squashfs.img', squashfs]);
  await runner.run([
    ...xorriso,
    `/boot/uki/${options.brokenSlotUki}`,
    join(content, options.brokenSlotUki),
  ]);
  const tree = join(options.work, 'tree');
  await runner.run(['unsquashfs', '-q', '-no-progress', '-d', tree, squashfs], {
    timeoutMs: 300_000,
  });
  await mkdir(join(tree, 'etc/recupdate/health.d'), { recursive: true });
  await writeFile(
    join(tree, 'etc/recupdate/health.d/99-broken'),
    '#!/bin/sh\necho "health: this update is broken on purpose" >&2\nexit 1\n',
    { mode: 0o755 },
  );
  const brokenName = 'broken.squashfs';
  const broken = join(content, brokenName);
  await runner.run(['mksquashfs', tree, broken, '-quiet', '-no-progress', '-comp', 'zstd'], {
    timeoutMs: 300_000,
  });
  const digest = (await runner.run(['sha256sum', broken])).stdout.split(' ')[0] ?? '';
  await writeFile(`${broken}.sha256`, `${digest}  ${brokenName}\n`);

  const recipe = await addRecipe(content, options.work, options.recipeArchive);

  const image = join(options.work, 'updates.raw');
  await runner.run(['truncate', '-s', '2G', image]);
  await runner.run(['mkfs.ext4', '-q', '-F', '-L', 'updates', '-d', content, image], {
    timeoutMs: 300_000,
  });
  return { image, isoName, brokenName, brokenUkiName: options.brokenSlotUki, recipe };
}

import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import { HOST_TOOLS } from '@levitate/tools';
import type { BuildDiff } from '@levitate/tools/diff';
import { RPM_REPO_DIR, RPM_REPO_PATHS, buildInstallIso } from '../rpm-fixture/index.ts';
import { BUILDER_BINS } from '../workspace.ts';
import { testKeySigningOptions } from './secure-boot-test-key.ts';
import type { BuilderName } from '../workspace.ts';

/** Everything the ISO is made of, by SHA-256: the ISO itself and the images inside it. */
interface BuildDigests {
  /** How each package's entries were had: read from the package (miss) or replayed (hit). */
  packageEntries: string[];
  iso: string;
  squashfs: string;
  esp: string;
  liveUki: string;
  slotUki: string;
}

let work: string;
/** Both builds sign for Secure Boot with the same key: signing must not cost reproducibility. */
let signing: string[];
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'reproducible-'));
  signing = await testKeySigningOptions(work);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

interface BuildOptions {
  readonly umask: string;
  readonly timeZone: string;
  readonly source?: readonly string[];
  /** Use the cache of this earlier build (a warm build) instead of an empty one of its own. */
  readonly cacheOf?: string;
  readonly variantFile?: string;
}

/** A build in its own folders, with its own umask and time zone; clean unless `cacheOf`. */
async function cleanBuild(
  builder: Builder,
  name: string,
  options: BuildOptions,
): Promise<BuildDigests> {
  const spec = await loadVariant(builder.variant);
  const dir = join(work, builder.bin, name);
  await mkdir(dir, { recursive: true });
  const out = join(dir, 'dist');
  const script = `umask ${options.umask} && exec "$0" "$@"`;
  const args = [
    BUILDER_BINS[builder.bin],
    builder.verb,
    ...(options.source ?? ['--fixture']),
    ...(options.variantFile === undefined ? [] : ['--variant-file', options.variantFile]),
    ...signing,
    '--out',
    out,
    '--cache',
    join(work, builder.bin, options.cacheOf ?? name, 'cache'),
    '--log-format',
    'plain',
  ];
  const result = await execa('sh', ['-c', script, process.execPath, ...args], {
    reject: false,
    env: { TZ: options.timeZone },
    extendEnv: true,
    cwd: dir,
  }).catch(async (error: unknown) => {
    throw error;
  });
  expect(result.exitCode, result.stderr).toBe(0);
  const iso = join(out, artifactName(spec, { kind: 'iso' }));
  const inside = join(dir, 'inside');
  await mkdir(inside, { recursive: true });
  await execa('xorriso', [
    '-osirrox',
    'on',
    '-indev',
    iso,
    '-extract',
    '/LiveOS/squashfs.img',
    join(inside, 'squashfs.img'),
    '-extract',
    `/boot/uki/${spec.boot.slots[0]?.uki ?? ''}`,
    join(inside, 'slot.efi'),
    '-extract_boot_images',
    join(inside, 'boot'),
  ]);
  const esp = (await readdir(join(inside, 'boot'))).find(
    (file) => file.includes('uefi') || file.includes('efi'),
  );
  if (!esp) throw new Error('the ISO has no EFI boot image');
  await execa(
    'mcopy',
    [
      '-i',
      join(inside, 'boot', esp),
      `::/EFI/Linux/${spec.boot.live.uki}`,
      join(inside, 'live.efi'),
    ],
    { env: { MTOOLS_SKIP_CHECK: '1' } },
  );
  for (const uki of ['live.efi', 'slot.efi']) {
    await execa('sbverify', ['--cert', HOST_TOOLS.secureBootTestCert.path, join(inside, uki)]);
  }
  const report = JSON.parse(
    await readFile(join(out, artifactName(spec, { kind: 'report' })), 'utf8'),
  ) as BuildReportJson;
  return {
    packageEntries: (report.stageCache?.artifacts ?? [])
      .filter((item) => item.artifact === 'package entries')
      .map((item) => item.outcome),
    iso: await sha256(iso),
    squashfs: await sha256(join(inside, 'squashfs.img')),
    esp: await sha256(join(inside, 'boot', esp)),
    liveUki: await sha256(join(inside, 'live.efi')),
    slotUki: await sha256(join(inside, 'slot.efi')),
  };
}

/** The part of the build report these tests read. */
interface BuildReportJson {
  stageCache?: { artifacts: { artifact: string; outcome: string }[] };
}

/** The builder's built-in variant with one overlay file more. */
async function editedVariant(builder: Builder): Promise<string> {
  const dir = join(work, builder.bin, 'edited-variant');
  await mkdir(join(dir, 'overlay', 'etc'), { recursive: true });
  await writeFile(join(dir, 'overlay', 'etc', 'motd'), 'edited between two warm builds\n');
  const file = join(dir, 'variant.yaml');
  await writeFile(
    file,
    `extends: ${builder.variant}\noverlay:\n  dir: overlay\n  permissions: []\n`,
  );
  return file;
}

interface Builder {
  readonly name: string;
  readonly bin: BuilderName;
  readonly variant: string;
  readonly verb: string;
  /** Where the second build reads the same packages from; the fixture's folders by default. */
  secondSource?(): Promise<string[]>;
}

const BUILDERS: readonly Builder[] = [
  { name: 'AcornOS', bin: 'acorn', variant: 'acorn', verb: 'iso' },
  {
    name: 'LevitateOS',
    bin: 'leviso',
    variant: 'levitate',
    verb: 'build',
    // The same repositories inside a Rocky-style install ISO, read without mounting it.
    async secondSource() {
      const image = await buildInstallIso({
        repoRoot: RPM_REPO_DIR,
        out: join(work, 'leviso', 'Rocky-fixture-dvd.iso'),
        volumeId: 'Rocky-10-0-x86_64-dvd',
      });
      return ['--repo', image, '--keys', RPM_REPO_PATHS.keysDir];
    },
  },
];

/** `<bin> diff --json` of the ISOs of two of this builder's builds. */
async function diffIsos(builder: Builder, first: string, second: string) {
  const spec = await loadVariant(builder.variant);
  const iso = (name: string) =>
    join(work, builder.bin, name, 'dist', artifactName(spec, { kind: 'iso' }));
  const result = await execa(
    process.execPath,
    [BUILDER_BINS[builder.bin], 'diff', '--json', iso(first), iso(second)],
    { reject: false },
  );
  return { exitCode: result.exitCode, diff: JSON.parse(String(result.stdout)) as BuildDiff };
}

const digestsOnly = ({ packageEntries: _entries, ...digests }: BuildDigests) => digests;

describe.each(BUILDERS)('two clean $name builds', (builder) => {
  it('give the same ISO, squashfs, ESP and signed UKIs, bit for bit; so does a warm build after an edit and its revert', async () => {
    const first = await cleanBuild(builder, 'first', { umask: '022', timeZone: 'UTC' });
    expect(new Set(first.packageEntries)).toEqual(new Set(['miss']));
    const source = (await builder.secondSource?.()) ?? ['--fixture'];
    const second = await cleanBuild(builder, 'second', {
      umask: '077',
      timeZone: 'Pacific/Auckland',
      source,
    });
    expect(digestsOnly(second)).toEqual(digestsOnly(first));

    // Warm, in the first build's cache: an overlay edit changes the image; reverted, every
    // package is replayed from the cache and the image is the cold one again.
    const warm = { umask: '022', timeZone: 'UTC', cacheOf: 'first' };
    const edited = await cleanBuild(builder, 'edited', {
      ...warm,
      variantFile: await editedVariant(builder),
    });
    expect(edited.squashfs).not.toBe(first.squashfs);
    const reverted = await cleanBuild(builder, 'reverted', warm);
    expect(new Set(reverted.packageEntries)).toEqual(new Set(['hit']));
    expect(digestsOnly(reverted)).toEqual(digestsOnly(first));

    // diff explains the edit down to the file, and finds nothing after the revert.
    const edit = await diffIsos(builder, 'first', 'edited');
    expect(edit.exitCode).toBe(1);
    const squashfs = edit.diff.artifacts.find((item) => item.artifact.startsWith('squashfs'));
    expect(squashfs?.changes.map((change) => [change.path, change.kinds])).toEqual([
      ['/etc/motd', ['content']],
    ]);
    expect(edit.diff.packages).toEqual([]);
    const revert = await diffIsos(builder, 'first', 'reverted');
    expect(revert.exitCode).toBe(0);
    expect(revert.diff.identical).toBe(true);
  }, 900_000);
});

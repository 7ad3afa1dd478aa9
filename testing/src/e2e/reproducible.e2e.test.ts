import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import { HOST_TOOLS } from '@levitate/tools';
import { RPM_REPO_DIR, RPM_REPO_PATHS, buildInstallIso } from '../rpm-fixture/index.ts';
import { BUILDER_BINS } from '../workspace.ts';
import { testKeySigningOptions } from './secure-boot-test-key.ts';
import type { BuilderName } from '../workspace.ts';

/** Everything the ISO is made of, by SHA-256: the ISO itself and the images inside it. */
interface BuildDigests {
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

/** A clean build in its own folders, with its own umask and time zone. */
async function cleanBuild(
  builder: Builder,
  name: string,
  umask: string,
  timeZone: string,
  source: readonly string[] = ['--fixture'],
): Promise<BuildDigests> {
  const spec = await loadVariant(builder.variant);
  const dir = join(work, builder.bin, name);
  const out = join(dir, 'dist');
  const script = `umask ${umask} && exec "$0" "$@"`;
  const args = [
    BUILDER_BINS[builder.bin],
    builder.verb,
    ...source,
    ...signing,
    '--out',
    out,
    '--cache',
    join(dir, 'cache'),
    '--log-format',
    'plain',
  ];
  const result = await execa('sh', ['-c', script, process.execPath, ...args], {
    reject: false,
    env: { TZ: timeZone },
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
  return {
    iso: await sha256(iso),
    squashfs: await sha256(join(inside, 'squashfs.img')),
    esp: await sha256(join(inside, 'boot', esp)),
    liveUki: await sha256(join(inside, 'live.efi')),
    slotUki: await sha256(join(inside, 'slot.efi')),
  };
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

describe.each(BUILDERS)('two clean $name builds', (builder) => {
  it('give the same ISO, squashfs, ESP and signed UKIs, bit for bit', async () => {
    await mkdir(join(work, builder.bin, 'first'), { recursive: true });
    await mkdir(join(work, builder.bin, 'second'), { recursive: true });
    const first = await cleanBuild(builder, 'first', '022', 'UTC');
    const source = (await builder.secondSource?.()) ?? ['--fixture'];
    const second = await cleanBuild(builder, 'second', '077', 'Pacific/Auckland', source);
    expect(second).toEqual(first);
  }, 900_000);
});

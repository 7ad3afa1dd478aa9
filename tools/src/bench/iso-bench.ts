import { appendFile, cp, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import { GRUB_PREFIX } from '../boot/grub.ts';
import { hybridIsoArgs } from '../boot/xorriso.ts';
import { HOST_TOOLS } from '../core/host-tools.ts';
import type { BuildReport } from '../pipeline/report.ts';
import { WORKSPACE_ROOT } from '../test-support/fixtures.ts';
import type { BenchSection, CommandStats, ProcessBenchResult } from './bench-result.ts';
import { formatProcessBench } from './bench-result.ts';
import type { IsoBenchTarget } from './iso-targets.ts';
import { ourCommand } from './our-commands.ts';
import type { ProcessBench } from './process-bench.ts';
import type { BenchCommand } from './process-sample.ts';
import { mksquashfsArgv } from './mksquashfs-reference.ts';

const BUILD_TIMEOUT_MS = 60 * 60 * 1000;
/** The overlay file edited between two builds, inside the copy of the variant's folder. */
const EDITED_OVERLAY_FILE = ['overlay', 'etc', 'motd'];

/** Several processes run one after the other, as one: their times added, their largest peak. */
async function inSequence(
  bench: ProcessBench,
  label: string,
  commands: readonly BenchCommand[],
): Promise<CommandStats> {
  let ms = 0;
  let peakMiB = 0;
  for (const command of commands) {
    const { ours } = await bench.measure(command.label, command);
    ms += ours.ms;
    peakMiB = Math.max(peakMiB, ours.peakMiB);
  }
  return { label, ms, peakMiB, runs: 1 };
}

/**
 * What keeps an image from booting four ways, read from xorriso's `-report_el_torito plain
 * -report_system_area plain`: a BIOS and a UEFI El Torito image, and a GPT EFI system partition.
 */
export function hybridProblems(report: string): string[] {
  const wanted: readonly (readonly [RegExp, string])[] = [
    [/^El Torito boot img\s*:\s*\d+\s+BIOS\b/m, 'a BIOS El Torito image'],
    [/^El Torito boot img\s*:\s*\d+\s+UEFI\b/m, 'a UEFI El Torito image'],
    [/^GPT type GUID\s*:\s*\d+\s+28732ac11ff8d211ba4b00a0c93ec93b$/m, 'a GPT EFI system partition'],
  ];
  return wanted.filter(([pattern]) => !pattern.test(report)).map(([, what]) => what);
}

async function assertHybrid(bench: ProcessBench, iso: string): Promise<void> {
  const { stdout } = await bench.runner.run([
    'xorriso',
    '-no_rc',
    '-indev',
    iso,
    '-report_el_torito',
    'plain',
    '-report_system_area',
    'plain',
  ]);
  const missing = hybridProblems(stdout);
  if (missing.length > 0) {
    throw new Error(`${iso} is not a hybrid image: it lacks ${missing.join(', ')}`);
  }
}

/**
 * A variant's ISO build, each run a whole `<bin> <build> --fixture` process with its own cache
 * and output folder and a copy of the variant's folder (so that the checkout is never edited):
 *
 * - the cold build (empty cache), for the record;
 * - the warm-cache build with nothing changed, against the bare tools on the same tree:
 *   mksquashfs (zstd 15, as ours) of the image's own tree, then xorriso mastering a hybrid
 *   image with the same options, the same El Torito BIOS image, hybrid MBR and ESP as ours;
 * - the same build against the classic pipeline: every package extracted with the classic tool,
 *   then mksquashfs + xorriso;
 * - the build after editing one overlay file, against the cold build;
 * - the no-op rebuild through nx (a cache hit).
 */
export async function runIsoBenchmarks(
  bench: ProcessBench,
  target: IsoBenchTarget,
): Promise<BenchSection> {
  const { runner } = bench;
  const work = await mkdtemp(join(tmpdir(), 'iso-bench-'));
  try {
    const variantDir = join(work, 'variant');
    await cp(join(WORKSPACE_ROOT, 'distro-spec', 'variants', target.variant), variantDir, {
      recursive: true,
    });
    const variantFile = join(variantDir, 'variant.yaml');
    const spec = await loadVariant(variantFile);
    const cache = join(work, 'cache');
    const out = join(work, 'dist');
    const build = (label: string, prepare?: () => Promise<unknown>): BenchCommand => ({
      ...ourCommand(
        target.bin,
        [
          target.buildVerb,
          '--fixture',
          '--variant-file',
          variantFile,
          '--cache',
          cache,
          '--out',
          out,
        ],
        { label, ...(prepare === undefined ? {} : { prepare }) },
      ),
      timeoutMs: BUILD_TIMEOUT_MS,
    });

    const cold = await bench.measure(
      `cold ${target.title} ISO build (empty cache)`,
      build(`${target.bin} ${target.buildVerb}, empty cache`, () =>
        rm(cache, { recursive: true, force: true }),
      ),
    );
    const warm = await bench.measure(
      `warm-cache ${target.title} ISO build, nothing changed`,
      build(`${target.bin} ${target.buildVerb}, warm cache`),
    );
    const report = JSON.parse(
      await readFile(join(out, artifactName(spec, { kind: 'report' })), 'utf8'),
    ) as BuildReport;
    const iso = join(out, artifactName(spec, { kind: 'iso' }));

    // The image's tree, boot files and ESP on disk, as the classic tools need them.
    const media = join(work, 'media');
    const bootImages = join(work, 'boot-images');
    const ourSquashfs = join(work, 'ours.squashfs');
    await runner.run([
      'xorriso',
      '-no_rc',
      '-osirrox',
      'on',
      '-indev',
      iso,
      '-extract',
      '/',
      media,
      '-extract_boot_images',
      bootImages,
    ]);
    await rename(join(media, 'LiveOS', 'squashfs.img'), ourSquashfs);
    const tree = join(work, 'tree');
    await runner.run(['unsquashfs', '-quiet', '-no-progress', '-d', tree, ourSquashfs]);
    const classicIso = join(work, 'classic.iso');
    const classicTools = (source: string): BenchCommand[] => [
      {
        label: 'mksquashfs',
        argv: mksquashfsArgv(source, join(media, 'LiveOS', 'squashfs.img')),
        timeoutMs: BUILD_TIMEOUT_MS,
      },
      {
        label: 'xorriso',
        argv: hybridIsoArgs({
          output: classicIso,
          volumeLabel: spec.boot.live.volumeLabel,
          publisher: spec.name,
          application: spec.name,
          grafts: [{ isoPath: '/', source: media }],
          bios: {
            eltoritoImage: `${GRUB_PREFIX}/eltorito.img`,
            hybridMbr: HOST_TOOLS.grubBootHybrid.path,
          },
          espImage: join(bootImages, 'gpt_part2_efi.img'),
          epoch: report.epoch,
        }),
        prepare: () => rm(classicIso, { force: true }),
        timeoutMs: BUILD_TIMEOUT_MS,
      },
    ];
    const bare = await inSequence(
      bench,
      'bare mksquashfs + xorriso (hybrid BIOS/UEFI) on the same tree',
      classicTools(tree),
    );
    await assertHybrid(bench, classicIso);

    const extracted = join(work, 'extracted');
    await mkdir(extracted);
    const wanted = await target.packageFiles(report.packages, spec.arch);
    const pipeline = await inSequence(
      bench,
      `extract ${wanted.length} packages with ${target.extractWith}, then mksquashfs + xorriso`,
      [
        ...wanted.map((file) => ({
          label: target.extractWith,
          argv: target.extract(file, extracted),
          allowExitCodes: [2],
        })),
        ...classicTools(extracted),
      ],
    );

    const motd = join(variantDir, ...EDITED_OVERLAY_FILE);
    const edited = await bench.measure(
      `${target.title} ISO build after editing overlay /${EDITED_OVERLAY_FILE.slice(1).join('/')}`,
      build(`${target.bin} ${target.buildVerb}, one overlay file edited`, () =>
        appendFile(motd, `benchmark edit ${Date.now()}\n`),
      ),
    );

    const nxBuild: BenchCommand = {
      label: `nx run ${target.nxTarget}`,
      argv: ['npx', 'nx', 'run', target.nxTarget],
      cwd: WORKSPACE_ROOT,
      timeoutMs: BUILD_TIMEOUT_MS,
    };
    // The first run may rebuild (anything may have changed); the second has nothing to do.
    const noop = await bench.measure(
      `no-op rebuild (nx run ${target.nxTarget}, cache hit)`,
      nxBuild,
      { warmups: 1, target: { maxMs: 2000 } },
    );

    const results: ProcessBenchResult[] = [
      cold,
      { ...warm, reference: bare, target: { maxRatio: 1.3 } },
      { ...warm, reference: pipeline, target: { maxRatio: 1 } },
      { ...edited, reference: cold.ours, target: { maxRatio: 0.2 } },
      noop,
    ];
    return formatProcessBench(`${target.title} ISO build: whole processes`, results);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

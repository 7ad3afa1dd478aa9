import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WORKSPACE_ROOT } from '../test-support/fixtures.ts';
import type { BenchSection } from './bench-result.ts';
import { formatProcessBench } from './bench-result.ts';
import type { ProcessBench } from './process-bench.ts';
import type { BenchCommand } from './process-sample.ts';

/** rpm-tools' converter from an RPM to a tar archive (`-n`: uncompressed, on stdout). */
const RPM2ARCHIVE = 'rpm2archive';
const CHILD = fileURLToPath(new URL('./extract-child.ts', import.meta.url));
const FIXTURES = join(WORKSPACE_ROOT, 'dist', 'fixtures');

/** One package format: where its fixture packages and keys are, and the classic extraction. */
interface ExtractFormat {
  readonly format: 'rpm' | 'apk';
  readonly packagesDir: string;
  readonly keysDir: string;
  readonly referenceLabel: string;
  reference(file: string, out: string): readonly string[];
  /** The reference's cheapest run, timed as its start-up. */
  readonly referenceStartup: readonly string[];
}

export const RPM_EXTRACT: ExtractFormat = {
  format: 'rpm',
  packagesDir: join(FIXTURES, 'rpm-repo'),
  keysDir: join(FIXTURES, 'rpm-repo', 'keys'),
  referenceLabel: 'rpm2archive | tar -x',
  reference: (file, out) => [
    'sh',
    '-c',
    `${RPM2ARCHIVE} -n - < "$1" | tar -xf - -C "$2"`,
    'sh',
    file,
    out,
  ],
  referenceStartup: [RPM2ARCHIVE, '--help'],
};

export const APK_EXTRACT: ExtractFormat = {
  format: 'apk',
  packagesDir: join(FIXTURES, 'apk-repo', 'repo'),
  keysDir: join(FIXTURES, 'apk-repo', 'keys'),
  referenceLabel: 'bsdtar -x',
  reference: (file, out) => ['bsdtar', '-xf', file, '-C', out],
  referenceStartup: ['bsdtar', '--version'],
};

/**
 * The bench child compiled into one JavaScript module, as the bins run their bundles, so that
 * its start-up is not that of a TypeScript loader. It is written inside the workspace so that
 * the packages it leaves outside (native addons among them) resolve from its node_modules.
 */
async function compiledChild(): Promise<{ file: string; remove: () => Promise<void> }> {
  const cacheDir = join(WORKSPACE_ROOT, 'node_modules', '.cache');
  await mkdir(cacheDir, { recursive: true });
  const dir = await mkdtemp(join(cacheDir, 'extract-bench-'));
  const file = join(dir, 'extract-child.mjs');
  await build({
    entryPoints: [CHILD],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The largest package of the fixture repository: its kernel. */
function largestPackage(dir: string, suffix: string): string {
  if (!existsSync(dir)) {
    throw new Error(`${dir} does not exist: build the fixture repositories first`);
  }
  const files = (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(dir, name));
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (largest === undefined) throw new Error(`no ${suffix} package under ${dir}`);
  return largest;
}

/** An empty output folder before every run, outside the measured time. */
const emptied = (out: string) => async () => {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
};

/**
 * The fixture's kernel package verified and extracted into a folder by a process of ours (a
 * bench child, compiled as the bins are: the builders have no extract command, a build extracts
 * into its content store) against the classic tools writing the same files, which check no
 * signature or digest.
 */
export async function runExtractBenchmark(
  bench: ProcessBench,
  extract: ExtractFormat,
): Promise<BenchSection> {
  const file = largestPackage(extract.packagesDir, `.${extract.format}`);
  const work = await mkdtemp(join(tmpdir(), 'extract-bench-'));
  let compiled: Awaited<ReturnType<typeof compiledChild>> | undefined;
  try {
    compiled = await compiledChild();
    const child = [process.execPath, compiled.file];
    const oursOut = join(work, 'ours');
    const referenceOut = join(work, 'reference');
    const ours: BenchCommand = {
      label: `extract-child ${extract.format} (compiled)`,
      argv: [...child, extract.format, file, extract.keysDir, oursOut],
      startup: [...child, '--version'],
      prepare: emptied(oursOut),
    };
    const reference: BenchCommand = {
      label: extract.referenceLabel,
      argv: extract.reference(file, referenceOut),
      startup: extract.referenceStartup,
      prepare: emptied(referenceOut),
    };
    await ours.prepare?.();
    const made = (await bench.runner.run(ours.argv)).stdout.trim();
    const name = file.split('/').at(-1) ?? file;
    const result = await bench.compare({
      name: `verify + extract ${name} (${(statSync(file).size / 1048576).toFixed(1)} MiB)`,
      ours,
      reference,
      target: { maxRatio: 1 },
    });
    const startupMs = result.ours.startupMs ?? 0;
    return formatProcessBench(
      `${extract.format.toUpperCase()} extraction: whole processes, every signature and digest checked by ours`,
      [result],
      [`ours without its start-up: ${(result.ours.ms - startupMs).toFixed(0)} ms (${made})`],
    );
  } finally {
    await compiled?.remove();
    await rm(work, { recursive: true, force: true });
  }
}

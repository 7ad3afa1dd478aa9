import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { sourcesFileOf } from '../launcher/launch.js';
import { englishOnlyPlugin } from './english-only-plugin.ts';
import { nativePackagePlugin } from './native-package-plugin.ts';
import { sourceLocationPlugin } from './source-location-plugin.ts';

export interface BundleRequest {
  /** The command's module, exporting `main(argv)`. */
  readonly entry: string;
  /** The bundle's name: `<outDir>/<name>.js`, its chunks beside it. */
  readonly name: string;
  /** A folder inside the workspace; it is replaced as a whole. */
  readonly outDir: string;
  readonly workspaceRoot: string;
}

/** What a bundle was built from, as {@link sourcesFileOf} holds it. */
export interface BundleSources {
  readonly sources: Readonly<Record<string, string>>;
}

export interface BundleResult {
  /** The command's module. */
  readonly bundle: string;
  /** Every file written (the bundle and its chunks, not the maps), with the workspace files in it. */
  readonly outputs: Readonly<Record<string, readonly string[]>>;
}

/**
 * Compiles one command into an ES module bundle with source maps. Every subcommand's
 * `import()` becomes a chunk of its own, loaded only when that subcommand runs. The packages
 * it uses are bundled; packages with native addons stay outside.
 */
export async function bundleCommand(request: BundleRequest): Promise<BundleResult> {
  const outDir = resolve(request.outDir);
  const staging = `${outDir}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: request.workspaceRoot,
    entryPoints: { [request.name]: resolve(request.entry) },
    outdir: staging,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    // Packages written as CommonJS call require() for Node's own modules.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    // esbuild runs its own program, found beside its package: it compiles `recipe` for images.
    external: ['esbuild'],
    plugins: [sourceLocationPlugin(outDir), nativePackagePlugin(outDir), englishOnlyPlugin()],
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.split('/').includes('node_modules'))
    .map((input) => join(request.workspaceRoot, input));
  inputs.push(join(request.workspaceRoot, 'package-lock.json'));
  const bundle = join(outDir, `${request.name}.js`);
  await writeFile(
    sourcesFileOf(join(staging, `${request.name}.js`)),
    `${JSON.stringify(await sourcesOf(inputs, outDir), null, 1)}\n`,
  );
  await rm(outDir, { recursive: true, force: true });
  await rename(staging, outDir);
  const outputs: Record<string, readonly string[]> = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    outputs[join(outDir, relative(staging, join(request.workspaceRoot, file)))] = Object.keys(
      output.inputs,
    );
  }
  return { bundle, outputs };
}

async function sourcesOf(files: readonly string[], outDir: string): Promise<BundleSources> {
  const sources: Record<string, string> = {};
  for (const file of [...new Set(files)].sort()) {
    const digest = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
    sources[relative(outDir, file).split(sep).join('/')] = digest;
  }
  return { sources };
}

// Starts a command from its compiled bundle, or from its TypeScript sources when there is no
// bundle or a source has changed since it was built. Plain JavaScript: it runs before
// anything is compiled.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {object} LaunchTarget
 * @property {string} command The executable's name, for the notice.
 * @property {string} project The nx project whose `bundle` target builds the bundle.
 * @property {URL} bundle The compiled module (`<project>/dist/<command>.js`).
 * @property {URL} sources The TypeScript module it is compiled from.
 */

/**
 * Where the launcher leaves the path of the bundle it runs, for code inside that bundle that
 * keeps results between runs of the same build (its `.sources.json` identifies the build).
 */
export const RUNNING_BUNDLE = Symbol.for('levitate.running-bundle');

/**
 * Runs `main(process.argv)` of the bundle, or of the sources, and sets the exit code.
 * @param {LaunchTarget} target
 */
export async function launch(target) {
  // Stack traces, shown with --debug, then name the .ts sources; maps are read only then.
  if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
  const state = bundleState(fileURLToPath(target.bundle));
  /** @type {{ main(argv: readonly string[]): Promise<number> }} */
  let command;
  if (state === 'current') {
    /** @type {Record<symbol, unknown>} */ (globalThis)[RUNNING_BUNDLE] = fileURLToPath(
      target.bundle,
    );
    command = await import(target.bundle.href);
  } else {
    const why = state === 'missing' ? 'no bundle' : 'sources changed since the bundle was built';
    process.stderr.write(
      `${target.command}: ${why}; running from sources (npx nx run ${target.project}:bundle to compile)\n`,
    );
    const { register } = await import('tsx/esm/api');
    register();
    command = await import(target.sources.href);
  }
  process.exitCode = await command.main(process.argv);
}

/**
 * Whether the bundle is there and every source it lists is as it was when it was built. A
 * source is read only when it is newer than the bundle, so the usual check is one stat each.
 * @param {string} bundle
 * @returns {'current' | 'missing' | 'stale'}
 */
export function bundleState(bundle) {
  const built = statSync(bundle, { throwIfNoEntry: false });
  if (built === undefined) return 'missing';
  /** @type {{ sources: Record<string, string> }} */
  let listed;
  try {
    listed = JSON.parse(readFileSync(sourcesFileOf(bundle), 'utf8'));
  } catch {
    return 'missing';
  }
  const folder = dirname(bundle);
  for (const [path, digest] of Object.entries(listed.sources)) {
    const file = join(folder, path);
    const info = statSync(file, { throwIfNoEntry: false });
    if (info === undefined) return 'stale';
    if (info.mtimeMs <= built.mtimeMs) continue;
    if (sha256(readFileSync(file)) !== digest) return 'stale';
  }
  return 'current';
}

/**
 * SHA-256 in hex; node:crypto is loaded only here, when a source is newer than its bundle,
 * which keeps it out of the usual start.
 * @param {Buffer} bytes
 * @returns {string}
 */
function sha256(bytes) {
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The file beside a bundle that lists what it was built from: each workspace source, relative
 * to the bundle's folder, with its SHA-256 (`{ "sources": { path: digest } }`).
 * @param {string} bundle
 * @returns {string}
 */
export function sourcesFileOf(bundle) {
  return bundle.replace(/\.js$/, '.sources.json');
}

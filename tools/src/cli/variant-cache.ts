import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { ResolveOptions, VariantSpec } from '@levitate/distro-spec';
import { deepFreeze } from '@levitate/distro-spec/freeze';
import { createMetadataCache, metadataCacheDir } from '../metadata-cache/index.ts';
import { sha256Hex } from '../core/sha256.ts';

/**
 * Where loaded variants are kept between runs, and which code loaded them: a spec read back
 * is used only by the same build of the program that wrote it.
 */
export interface VariantCacheSettings {
  /** The state folder of the cache (`<cache>/state`). */
  readonly stateDir: string;
  /** Identifies the program's code; a different build never reads this build's entries. */
  readonly code: string;
}

/** A file the spec was read from, by content. */
interface InputFile {
  readonly file: string;
  readonly sha256: string;
}

/**
 * What is kept: the spec, and everything on disk it was made from (no inputs: a file changed
 * while the spec was loaded, and it is not kept).
 */
interface CachedVariant {
  readonly inputs: readonly InputFile[] | undefined;
  readonly folders: readonly string[];
  readonly spec: VariantSpec;
}

/** Bump when what a cached variant holds, or how it is checked, changes. */
const VARIANT_CACHE_VERSION = '1';
/**
 * A file modified this close to the start of a load may have been changed during it, with a
 * time stamp the file system rounded down; its spec is used but not kept.
 */
const RACY_MS = 1000;

function digestOrUndefined(file: string): string | undefined {
  try {
    return sha256Hex(readFileSync(file));
  } catch {
    return undefined;
  }
}

function isFolder(dir: string): boolean {
  return statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** Whether every file still has its content and every overlay folder is still there. */
function stillCurrent(value: CachedVariant): boolean {
  return (
    value.inputs !== undefined &&
    value.inputs.every((input) => digestOrUndefined(input.file) === input.sha256) &&
    value.folders.every(isFolder)
  );
}

function isCachedVariant(value: unknown): value is CachedVariant {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<CachedVariant>;
  return (
    Array.isArray(candidate.inputs) &&
    Array.isArray(candidate.folders) &&
    typeof candidate.spec === 'object' &&
    candidate.spec !== null
  );
}

/**
 * The inputs of a freshly loaded spec, or undefined when one of its files changed while it was
 * loaded (modified later than RACY_MS before `started`): such a spec is used but not kept,
 * since the digest taken now might not be of the bytes that were parsed.
 */
function inputsOf(spec: VariantSpec, started: number): InputFile[] | undefined {
  const inputs: InputFile[] = [];
  for (const file of spec.files) {
    const info = statSync(file, { throwIfNoEntry: false });
    if (info === undefined || info.mtimeMs >= started - RACY_MS) return undefined;
    const sha256 = digestOrUndefined(file);
    if (sha256 === undefined) return undefined;
    inputs.push({ file, sha256 });
  }
  return inputs;
}

/**
 * The variant as `load` returns it, or as a run of the same code loaded it before from files
 * that have not changed since. Loading parses YAML and checks the schema; a kept spec is read
 * back in a few milliseconds. Errors are never kept: a variant with problems is loaded, and
 * fails, every time.
 */
export async function rememberVariant(
  settings: VariantCacheSettings,
  ref: string,
  options: ResolveOptions,
  load: () => Promise<VariantSpec>,
): Promise<VariantSpec> {
  const cache = createMetadataCache(metadataCacheDir(settings.stateDir), {
    warn: () => undefined,
    debug: () => undefined,
  });
  const remembered = await cache.remember<CachedVariant>({
    kind: 'variant',
    slot: JSON.stringify([ref, process.cwd()]),
    key: [VARIANT_CACHE_VERSION, settings.code, JSON.stringify(options)],
    what: `variant ${ref}`,
    accept: (value): value is CachedVariant => isCachedVariant(value) && stillCurrent(value),
    parse: async () => {
      const started = Date.now();
      const spec = await load();
      return {
        inputs: inputsOf(spec, started),
        folders: spec.overlays.map((overlay) => overlay.dir),
        spec,
      };
    },
    keep: (value) => value.inputs !== undefined,
  });
  // A fresh spec is frozen already; one read back is frozen here.
  return deepFreeze(remembered.spec);
}

/**
 * The code identity of the bundled program that is running: the digest of the bundle's path
 * and of the source list beside it, which the launcher names (see launch.js). Undefined when
 * running from sources, where nothing is kept.
 */
export function bundledCodeIdentity(): string | undefined {
  // launch.js's RUNNING_BUNDLE: the apps' type checks do not read the launcher's JavaScript.
  const bundle = (globalThis as Record<symbol, unknown>)[Symbol.for('levitate.running-bundle')];
  if (typeof bundle !== 'string') return undefined;
  try {
    // Where the bundle is counts as much as what it was built from: a built-in variant is read
    // from beside the code, so two checkouts of the same code read different files.
    const sources = readFileSync(bundle.replace(/\.js$/, '.sources.json'));
    return createHash('sha256').update(bundle).update('\0').update(sources).digest('hex');
  } catch {
    return undefined;
  }
}

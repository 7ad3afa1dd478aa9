import { mkdir, readFile, rm, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeThrown } from '../core/errors.ts';
import { isMissing } from '../core/atomic-file.ts';
import { tempName } from '../rootfs/store-temps.ts';
import type { ArtifactCache, ArtifactInput } from './artifact-cache.ts';
import { builderFingerprint } from './builder-fingerprint.ts';
import { entryHeader, entryPayload } from './entry-file.ts';
import { trimStageCache } from './eviction.ts';
import type { TrimOutcome } from './eviction.ts';
import { artifactKey } from './input-key.ts';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : describeThrown(error);
}

/** The bound when none is given: room for the blocks of a few images and their boot files. */
export const DEFAULT_STAGE_CACHE_BYTES = 2 * 1024 ** 3;

export interface StageCacheSettings {
  /** The folder, `<cache>/stages` (see stageCacheDirOf). */
  readonly dir: string;
  /** Trimmed to this many bytes, least recently used entries first, when a build ends. */
  readonly maxBytes: number;
}

/** How one artifact of this build was had: copied, made, or made again over a damaged entry. */
export interface ArtifactOutcome {
  readonly artifact: string;
  readonly outcome: 'hit' | 'miss' | 'rejected';
  readonly bytes: number;
}

/** The stage cache inside the build cache folder (`--cache`), beside the content store. */
export function stageCacheDirOf(cacheDir: string): string {
  return join(cacheDir, 'stages');
}

/** Where the squashfs writer keeps compressed blocks, inside the stage cache. */
export function blocksDirOf(stageDir: string): string {
  return join(stageDir, 'blocks');
}

function artifactsDirOf(stageDir: string): string {
  return join(stageDir, 'artifacts');
}

/**
 * The outputs of build stages kept between builds: compressed squashfs blocks (written by the
 * squashfs writer itself, in blocksDir) and artifacts (initramfs, UKIs, ESP image) keyed by
 * their inputs. Entries are files written to a temporary name and renamed, checked against
 * their digest when read (a damaged one is made again, never used), and touched when used, so
 * trim() can remove the least recently used. Several builds may use the folder at once.
 * Failing to write an entry warns once; the build goes on.
 */
export class StageCache implements ArtifactCache {
  readonly settings: StageCacheSettings;
  readonly #fingerprint: string;
  readonly #warn: (message: string) => void;
  readonly #damaged = new Set<string>();
  readonly #outcomes: ArtifactOutcome[] = [];
  #warned = false;

  constructor(settings: StageCacheSettings, fingerprint: string, warn: (message: string) => void) {
    this.settings = settings;
    this.#fingerprint = fingerprint;
    this.#warn = warn;
  }

  /** A cache in `settings.dir` for artifacts of the code running now. */
  static async open(
    settings: StageCacheSettings,
    warn: (message: string) => void,
  ): Promise<StageCache> {
    return new StageCache(settings, await builderFingerprint(), warn);
  }

  get blocksDir(): string {
    return blocksDirOf(this.settings.dir);
  }

  get outcomes(): readonly ArtifactOutcome[] {
    return this.#outcomes;
  }

  key(artifact: string, inputs: readonly ArtifactInput[]): Buffer {
    return artifactKey(artifact, this.#fingerprint, inputs);
  }

  /** The payload kept under `key`, if a sound entry is there; it now counts as recently used. */
  async recall(key: Buffer): Promise<Buffer | undefined> {
    const path = this.#pathOf(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if (!isMissing(error)) this.#damaged.add(key.toString('hex'));
      return undefined;
    }
    const payload = entryPayload(bytes, key);
    if (payload === undefined) {
      this.#damaged.add(key.toString('hex'));
      return undefined;
    }
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    return payload;
  }

  /** Keeps what was made under `key` and records the artifact as made (over a damaged entry or not). */
  async keep(artifact: string, key: Buffer, payload: Uint8Array): Promise<void> {
    const damaged = this.#damaged.delete(key.toString('hex'));
    this.#outcomes.push({
      artifact,
      outcome: damaged ? 'rejected' : 'miss',
      bytes: payload.length,
    });
    const path = this.#pathOf(key);
    const folder = join(path, '..');
    const temporary = join(folder, tempName());
    try {
      await mkdir(folder, { recursive: true });
      await writeFile(temporary, Buffer.concat([entryHeader(key, payload), payload]), {
        flag: 'wx',
      });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      if (!this.#warned) {
        this.#warned = true;
        this.#warn(
          `cannot keep ${artifact} in the stage cache ${this.settings.dir} (${messageOf(error)}): it is made again next time`,
        );
      }
    }
  }

  /** Records an artifact taken from the cache. */
  reused(artifact: string, bytes: number): void {
    this.#outcomes.push({ artifact, outcome: 'hit', bytes });
  }

  async file(
    artifact: string,
    inputs: () => Promise<readonly ArtifactInput[]>,
    output: string,
    make: () => Promise<void>,
  ): Promise<void> {
    const key = this.key(artifact, await inputs());
    const kept = await this.recall(key);
    if (kept !== undefined) {
      await writeFile(output, kept);
      this.reused(artifact, kept.length);
      return;
    }
    await make();
    await this.keep(artifact, key, await readFile(output));
  }

  /** Removes the least recently used entries until the cache is within its bound. */
  trim(): Promise<TrimOutcome> {
    return trimStageCache(this.settings.dir, this.settings.maxBytes);
  }

  #pathOf(key: Buffer): string {
    const hex = key.toString('hex');
    return join(artifactsDirOf(this.settings.dir), hex.slice(0, 2), hex);
  }
}

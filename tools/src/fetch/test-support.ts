/** Helpers shared by the fetcher's tests. */

import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Reporter } from '../core/step.ts';
import type { Digest } from '../packages/model.ts';

export function sha256Of(data: Uint8Array | string): Digest {
  return { algorithm: 'sha256', hex: createHash('sha256').update(data).digest('hex') };
}

export function digestOf(algorithm: Digest['algorithm'], data: Uint8Array | string): Digest {
  return { algorithm, hex: createHash(algorithm).update(data).digest('hex') };
}

/** Incompressible bytes, so lengths on the wire are what they seem. */
export function randomPayload(size: number): Buffer {
  return randomBytes(size);
}

export async function makeTempDir(
  prefix: string,
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Every file under `dir`, relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

export interface RecordingReporter extends Reporter {
  readonly warnings: string[];
  readonly progressEvents: { current: number; total: number; label?: string }[];
}

export function recordingReporter(): RecordingReporter {
  const warnings: string[] = [];
  const progressEvents: { current: number; total: number; label?: string }[] = [];
  const reporter: RecordingReporter = {
    warnings,
    progressEvents,
    step: (_title, fn) => fn(reporter),
    progress: (current, total, label) => {
      progressEvents.push(label === undefined ? { current, total } : { current, total, label });
    },
    info: () => undefined,
    warn: (message) => {
      warnings.push(message);
    },
    debug: () => undefined,
  };
  return reporter;
}

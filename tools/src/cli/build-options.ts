import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';

/** Options of every command that reads repositories. */
export interface RepositoryAccessOptions {
  cache?: string;
  offline?: boolean;
  verify: boolean;
}

export function addRepositoryAccessOptions(command: Command): Command {
  return command
    .addOption(new Option('--cache <dir>', 'download cache (default: $XDG_CACHE_HOME/levitate)'))
    .addOption(new Option('--offline', 'use only the cache and local repositories'))
    .addOption(
      new Option('--no-verify', 'DANGEROUS: accept packages and indexes without valid signatures'),
    );
}

export function cacheDirFrom(options: RepositoryAccessOptions): string {
  if (options.cache !== undefined) return resolve(options.cache);
  const base = process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache');
  return join(base, 'levitate');
}

/** Where downloaded indexes and packages are kept, inside the cache. */
export function downloadsDirOf(cacheDir: string): string {
  return join(cacheDir, 'downloads');
}

/** Where a cache folder keeps what is not downloaded: parsed indexes, loaded variants. */
export function stateDirOf(cacheDir: string): string {
  return join(cacheDir, 'state');
}

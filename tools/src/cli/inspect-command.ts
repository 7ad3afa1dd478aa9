import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ResolveOptions } from '@levitate/distro-spec';
import { loadBackend } from '../backend/index.ts';
import { messageOf, UserError } from '../core/errors.ts';
import type { Reporter } from '../core/step.ts';
import type { PackageBackend } from '../backend/index.ts';
import { stableJson } from './json.ts';
import { loadVariantForCli } from './load-variant.ts';
import { reporterFrom } from './output-settings.ts';
import type { OutputSettings } from './output-settings.ts';

export interface InspectCommandRequest {
  readonly bin: string;
  /** The built-in variant or the `--variant-file`, whose package format is read. */
  readonly variant: string;
  readonly resolveOptions: ResolveOptions;
  /** The package file as given. */
  readonly file: string;
  readonly keys?: string;
  readonly verify: boolean;
  readonly output: OutputSettings;
}

/** `inspect FILE` with the variant's package backend. */
export async function runInspectCommand(request: InspectCommandRequest): Promise<string> {
  const spec = await loadVariantForCli(request.variant, request.resolveOptions);
  return runInspect(
    {
      bin: request.bin,
      backend: await loadBackend(spec.family),
      file: resolve(request.file),
      keyDirs: request.keys === undefined ? [] : [resolve(request.keys)],
      verify: request.verify,
    },
    reporterFrom(request.output),
  );
}

export interface InspectRequest {
  /** The executable, for hints (`leviso`). */
  readonly bin: string;
  readonly backend: PackageBackend;
  /** Absolute path of the package file. */
  readonly file: string;
  /** Folders of trusted keys (`--keys`). */
  readonly keyDirs: readonly string[];
  /** False with `--no-verify`. */
  readonly verify: boolean;
}

/**
 * `inspect FILE`: checks that the file is a readable package file of the builder's format,
 * verifies it (digests, and signatures when keys are given), and returns its description as
 * sorted JSON. With verification off, what fails is a warning and the description is shown.
 */
export async function runInspect(request: InspectRequest, reporter: Reporter): Promise<string> {
  const { backend, file } = request;
  await assertPackageFile(file, backend.suffix);
  if (!file.endsWith(backend.suffix)) {
    throw new UserError('inspect-wrong-format', `${file} is not a ${backend.suffix} file`, {
      hint: `${request.bin} reads ${backend.suffix} packages`,
    });
  }
  const inspection = await backend.inspect(file, {
    keyDirs: request.keyDirs,
    verify: request.verify,
  });
  for (const message of inspection.unverified) {
    reporter.warn(`NOT VERIFIED, shown because of --no-verify: ${message}`);
  }
  return stableJson(inspection.description);
}

/**
 * Refuses, before anything opens it, a path that is not a readable regular file: a folder, a
 * FIFO (opening one waits for a writer forever), a socket or device, a missing or unreadable
 * file, each with what to do about it.
 */
export async function assertPackageFile(file: string, suffix: string): Promise<void> {
  let info: Stats;
  try {
    info = await stat(file);
  } catch (error) {
    throw fileError(file, error);
  }
  if (info.isDirectory()) {
    const inside = await packagesIn(file, suffix);
    throw new UserError('inspect-not-a-file', `${file} is a folder, not a ${suffix} package`, {
      hint:
        inside.length > 0
          ? `name one package file in it, e.g. ${join(file, inside[0] ?? '')}`
          : `name a ${suffix} package file`,
    });
  }
  if (!info.isFile()) {
    throw new UserError(
      'inspect-not-a-file',
      `${file} is ${specialKind(info)}, not a regular file: inspect reads package files only`,
      { hint: `save the package to a file first, then inspect that file` },
    );
  }
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw fileError(file, error);
  }
}

function specialKind(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a file';
}

async function packagesIn(dir: string, suffix: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith(suffix)).sort();
  } catch {
    return [];
  }
}

/** A failed stat or access of the named file, in words. */
export function fileError(file: string, error: unknown): UserError {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'ENOENT':
      return new UserError('inspect-no-file', `${file}: no such file`, {
        hint: 'check the path; a relative path is read from the current folder',
        cause: error,
      });
    case 'ENOTDIR':
      return new UserError(
        'inspect-no-file',
        `${file}: no such file (a part of the path is a file, not a folder)`,
        {
          hint: 'check the path',
          cause: error,
        },
      );
    case 'EACCES':
    case 'EPERM':
      return new UserError('inspect-unreadable', `${file} cannot be read: permission denied`, {
        hint: `make it readable for this user (ls -l ${file}), or copy it somewhere readable`,
        cause: error,
      });
    case 'ELOOP':
      return new UserError('inspect-no-file', `${file}: too many levels of symbolic links`, {
        hint: 'a symbolic link on the path points back at itself; check it with ls -l',
        cause: error,
      });
    default: {
      const reason = messageOf(error);
      return new UserError('inspect-unreadable', `${file} cannot be read: ${reason}`, {
        hint: 'check the file and the disk it is on',
        cause: error,
      });
    }
  }
}

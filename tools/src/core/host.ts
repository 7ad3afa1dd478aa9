/**
 * Checks that the build host has the programs and data files a builder needs, and reports
 * everything that is missing at once, with the Debian packages that provide it.
 */

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { UserError } from './errors.ts';

/**
 * Something a builder needs on the host: a command on the search path or a file at a fixed
 * location. `reason` completes the sentence "needed to ...", e.g. `master the ISO`.
 */
export type HostRequirement =
  | { kind: 'command'; command: string; debianPackage: string; reason: string }
  | { kind: 'file'; path: string; debianPackage: string; reason: string };

/**
 * What the project takes host tools for: the builders' `build` and `run`, Secure Boot signing
 * (`sign`: signed builds and `sb-keys`), the tests, the benchmarks.
 */
export type HostUse = 'build' | 'run' | 'sign' | 'test' | 'bench';

/** Why a tool is needed, by use; each reason completes the sentence "needed to ...". */
export type HostNeeds = Readonly<Partial<Record<HostUse, string>>>;

/** An entry of the host tool registry: a command or a file, its Debian package, what needs it. */
export type HostTool =
  | {
      readonly kind: 'command';
      readonly command: string;
      readonly debianPackage: string;
      readonly needs: HostNeeds;
    }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly debianPackage: string;
      readonly needs: HostNeeds;
    };

export interface HostCheckResult {
  requirement: HostRequirement;
  found: boolean;
  /** Where the command or file was found. */
  location?: string;
}

export interface CheckHostOptions {
  /** The search path for commands; defaults to `$PATH` plus `/usr/sbin` and `/sbin`. */
  pathEnv?: string;
  /** Decides whether a `file` requirement is present; defaults to checking the filesystem. */
  exists?: (path: string) => Promise<boolean>;
}

const SBIN_DIRS = ['/usr/sbin', '/sbin'];

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) {
      return false;
    }
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where commands are looked for: PATH (or `pathEnv`) and the sbin folders, each once. */
export function searchDirectories(pathEnv: string | undefined): string[] {
  const dirs =
    pathEnv === undefined
      ? [...(process.env.PATH ?? '').split(delimiter), ...SBIN_DIRS]
      : pathEnv.split(delimiter);
  // An empty PATH entry means the current directory; never search it.
  return [...new Set(dirs.filter((dir) => dir !== ''))];
}

async function findCommand(command: string, dirs: readonly string[]): Promise<string | undefined> {
  if (command.includes('/')) {
    return (await isExecutableFile(command)) ? command : undefined;
  }
  for (const dir of dirs) {
    const candidate = join(dir, command);
    if (await isExecutableFile(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** Looks for every requirement on this host. Results are in the order of `requirements`. */
export async function checkHost(
  requirements: readonly HostRequirement[],
  options: CheckHostOptions = {},
): Promise<HostCheckResult[]> {
  const dirs = searchDirectories(options.pathEnv);
  const exists = options.exists ?? fileExists;
  return Promise.all(
    requirements.map(async (requirement): Promise<HostCheckResult> => {
      const location =
        requirement.kind === 'command'
          ? await findCommand(requirement.command, dirs)
          : (await exists(requirement.path))
            ? requirement.path
            : undefined;
      return location === undefined
        ? { requirement, found: false }
        : { requirement, found: true, location };
    }),
  );
}

function describeMissing(requirement: HostRequirement): string {
  const what = requirement.kind === 'command' ? requirement.command : requirement.path;
  return (
    `${what} is not available on this host (needed to ${requirement.reason}). ` +
    `Install the Debian package '${requirement.debianPackage}'.`
  );
}

/** Throws one `host-missing-tools` UserError naming every missing requirement. */
export function assertHost(results: readonly HostCheckResult[]): void {
  const missing = results.filter((result) => !result.found).map((result) => result.requirement);
  if (missing.length === 0) {
    return;
  }
  const lines = missing.map(describeMissing);
  const message =
    lines.length === 1
      ? (lines[0] ?? '')
      : `${lines.length} host requirements are missing:\n${lines.map((line) => `  - ${line}`).join('\n')}`;
  throw new UserError('host-missing-tools', message, { hint: installCommand(missing) });
}

/** The one `apt-get install` line that provides every requirement given. */
export function installCommand(requirements: readonly HostRequirement[]): string {
  const packages = [...new Set(requirements.map((requirement) => requirement.debianPackage))];
  return `apt-get install ${packages.sort().join(' ')}`;
}

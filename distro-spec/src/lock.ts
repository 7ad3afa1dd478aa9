import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { problemsFromIssues } from './problems.ts';
import { parseVariantSource, syntaxProblems } from './source.ts';
import type { SpecProblem } from './source.ts';
import type { VariantSpec } from './spec.ts';

/**
 * A variant's lock file, `<name>.lock.yaml` beside its variant file: the exact packages a
 * resolution chose, with what it takes to fetch and check each file again without resolving
 * (location, size, SHA-256, the index checksum), the dependency graph the SBOM and `--why`
 * read, the epoch of the build, and the digest of the variant's inputs that the resolution
 * depends on. The same resolution always writes the same bytes.
 */

export const LOCK_VERSION = 1;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits');

/** A path under a repository: relative, without `..`, so a lock can only name files in it. */
const repositoryPath = z
  .string()
  .min(1)
  .refine(
    (path) => !path.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(path) && !path.includes('\0'),
    'a path under the repository (not absolute, no URL)',
  )
  .refine((path) => !path.split('/').includes('..'), 'a path under the repository (no "..")');

const lockedPackageSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1),
  arch: z.string().min(1),
  repository: z.string().min(1),
  location: repositoryPath,
  locationBase: z.string().optional(),
  size: z.number().int().nonnegative(),
  sha256: sha256Hex,
  checksum: z.strictObject({ type: z.string().min(1), value: z.string() }),
  buildTime: z.number().int().nonnegative().optional(),
  license: z.string().optional(),
  reason: z.string(),
  /** The packages of the set this one needs, each with the dependency that named it. */
  needs: z.array(z.strictObject({ dependency: z.string(), package: z.string() })),
});

const lockSchema = z.strictObject({
  lockVersion: z.literal(LOCK_VERSION),
  variant: z.string().min(1),
  family: z.enum(['rpm', 'apk']),
  arch: z.string().min(1),
  inputs: sha256Hex,
  epoch: z.number().int().nonnegative(),
  requests: z.array(z.strictObject({ request: z.string(), package: z.string() })),
  repositories: z.array(
    z.strictObject({
      name: z.string().min(1),
      url: z.string().min(1),
      index: sha256Hex.optional(),
    }),
  ),
  /** In the order the build installs them. */
  packages: z.array(lockedPackageSchema),
});

export type PackageLock = z.infer<typeof lockSchema>;
export type LockedPackage = z.infer<typeof lockedPackageSchema>;

/** A lock file that cannot be read as one, every problem located. */
export class LockFileError extends Error {
  readonly code = 'lock-invalid';
  readonly hint: string;
  readonly problems: readonly SpecProblem[];

  constructor(file: string, problems: readonly SpecProblem[]) {
    const lines = problems.map(
      (problem) =>
        `  ${problem.file}:${problem.line}:${problem.col}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`,
    );
    super(`lock file ${file} is not a valid lock:\n${lines.join('\n')}`);
    this.name = 'LockFileError';
    this.problems = problems;
    this.hint = 'write it again with the lock command; lock files are not edited by hand';
  }
}

/** The lock in `text`, read from `file`; a LockFileError says where it is wrong. */
export function parseLock(file: string, text: string): PackageLock {
  const source = parseVariantSource(file, text);
  const syntax = syntaxProblems(source);
  if (syntax.length > 0) throw new LockFileError(file, syntax);
  const parsed = lockSchema.safeParse(source.data, { reportInput: true });
  if (!parsed.success) {
    throw new LockFileError(file, problemsFromIssues(parsed.error.issues, [source]));
  }
  return parsed.data;
}

/** The lock as its file holds it: a comment naming the command, then stable YAML. */
export function encodeLock(lock: PackageLock, command: string): string {
  const header = [
    `# The packages of ${lock.variant}, locked by \`${command} lock\`.`,
    `# \`--locked\` builds exactly these; run \`${command} lock\` again to take newer ones.`,
  ];
  return `${header.join('\n')}\n${stringify(lockSchema.parse(lock), { lineWidth: 0 })}`;
}

/** Where a variant's lock lives: `<name>.lock.yaml` beside the variant's own file. */
export function lockFileFor(spec: Pick<VariantSpec, 'variant' | 'files'>): string {
  const leaf = spec.files[spec.files.length - 1];
  if (leaf === undefined) throw new Error(`variant ${spec.variant} has no file`);
  return join(dirname(leaf), `${basename(spec.variant)}.lock.yaml`);
}

/**
 * SHA-256 of what a variant's package set depends on: family, architecture, the packages asked
 * for, weak dependencies, and the repositories with their priorities. An overlay, a kernel
 * argument or a service does not change it, so such edits keep the lock valid.
 */
export function lockInputs(spec: VariantSpec): string {
  const inputs = {
    family: spec.family,
    arch: spec.arch,
    packages: spec.packages,
    installWeakDeps: spec.installWeakDeps,
    repositories: spec.repositories.map(({ name, url, priority }) => ({ name, url, priority })),
  };
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

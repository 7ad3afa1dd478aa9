import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { searchDirectories } from '../core/host.ts';
import { HOST_TOOLS } from '../core/host-tools.ts';
import type { HostToolId } from '../core/host-tools.ts';

/**
 * Suites that compare against a real reference tool (Alpine's apk, dnf, rpm, systemctl...) or
 * need root declare it with `reference(needs, conditions)` and run under `describeWithReference`
 * or `itWithReference` (reference-suite.ts) instead of skipping quietly. Where it is available the
 * suite runs. Where it is missing, the suite fails under CI (`CI` set) or with
 * `LEVITATE_REQUIRE_REFERENCE=1`, naming what is missing and what to do; elsewhere it is skipped
 * and the run summary lists it.
 */

/** One thing a reference needs, with what to do when the host lacks it. */
export interface ReferenceCondition {
  readonly met: boolean;
  readonly hint: string;
}

/** A reference a suite compares against, as this host provides it or not. */
export interface Reference {
  /** What the suite needs, in a person's words: "Alpine's apk 2.14 in a chroot (root)". */
  readonly needs: string;
  readonly available: boolean;
  /** What to do to provide it; empty when it is available. */
  readonly hint: string;
}

/** What a suite or test whose reference is missing records for the run summary. */
export interface MissingReference {
  readonly needs: string;
  readonly hint: string;
}

declare module 'vitest' {
  interface TaskMeta {
    missingReference?: MissingReference;
  }
}

/** How a suite behaves here: it runs, it fails for want of its reference, or it is skipped. */
export type ReferenceMode = 'run' | 'fail' | 'skip';

export function reference(needs: string, conditions: readonly ReferenceCondition[]): Reference {
  const unmet = conditions.filter((condition) => !condition.met).map(({ hint }) => hint);
  return { needs, available: unmet.length === 0, hint: unmet.join('; ') };
}

export function asRoot(): ReferenceCondition {
  return {
    met: process.getuid?.() === 0,
    hint: 'run the tests as root',
  };
}

/** A program of the host, at any of `paths`, from the Debian package that ships it. */
export function hostProgram(
  paths: string | readonly string[],
  debianPackage: string,
): ReferenceCondition {
  const candidates = typeof paths === 'string' ? [paths] : paths;
  return {
    met: candidates.some((path) => existsSync(path)),
    hint: `install the Debian package ${debianPackage} for ${candidates[0] ?? '?'} (bash .ci/setup does)`,
  };
}

/** A program or file of the host tool registry, found on PATH or at its path. */
export function hostTool(id: HostToolId): ReferenceCondition {
  const tool = HOST_TOOLS[id];
  const name = tool.kind === 'command' ? tool.command : tool.path;
  const candidates =
    tool.kind === 'file' || tool.command.includes('/')
      ? [name]
      : searchDirectories(undefined).map((dir) => join(dir, tool.command));
  return {
    met: candidates.some((path) => existsSync(path)),
    hint: `install the Debian package ${tool.debianPackage} for ${name} (bash .ci/setup does)`,
  };
}

/** Output of an nx target the suite reads, such as a fixture repository. */
export function builtOutput(path: string, nxTarget: string): ReferenceCondition {
  return { met: existsSync(path), hint: `build ${path} with npx nx run ${nxTarget}` };
}

/** Whether a missing reference fails the suite: under CI, or when asked to. */
export function referencesRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env['CI'];
  const inCi = ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
  return inCi || env['LEVITATE_REQUIRE_REFERENCE'] === '1';
}

export function referenceMode(ref: Reference, env: NodeJS.ProcessEnv = process.env): ReferenceMode {
  if (ref.available) return 'run';
  return referencesRequired(env) ? 'fail' : 'skip';
}

/** The error of a suite that cannot run where references are required. */
export function missingReferenceError(name: string, ref: Reference): Error {
  const error = new Error(
    `"${name}" needs ${ref.needs}, which this host lacks: ${ref.hint}. ` +
      'References are required here (CI or LEVITATE_REQUIRE_REFERENCE=1), so this fails ' +
      'instead of skipping.',
  );
  error.name = 'MissingReferenceError';
  // The message says everything; a stack into this helper would only point away from the suite.
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

import { execa } from 'execa';
import { BUILDER_BINS } from '../workspace.ts';
import type { BuilderName } from '../workspace.ts';

/** The builder command that makes each variant's ISO. */
export const BUILD_VERBS: Record<BuilderName, string> = {
  acorn: 'iso',
  iuppiter: 'iso',
  leviso: 'build',
};

/**
 * Builds a variant's ISO from the offline fixture repository with its CLI, as a user runs it,
 * into `out`; `extra` are further options (`--os-version 0.1.1`). Never throws: the caller
 * checks the exit code and shows stderr.
 */
export function buildFromFixture(
  bin: BuilderName,
  options: { out: string; cache: string; extra?: readonly string[] },
): Promise<{ exitCode: number | undefined; stderr: string }> {
  const args = [
    BUILD_VERBS[bin],
    '--fixture',
    ...(options.extra ?? []),
    '--out',
    options.out,
    '--cache',
    options.cache,
    '--log-format',
    'plain',
  ];
  return execa(process.execPath, [BUILDER_BINS[bin], ...args], { reject: false }).then(
    (result) => ({ exitCode: result.exitCode, stderr: String(result.stderr) }),
  );
}

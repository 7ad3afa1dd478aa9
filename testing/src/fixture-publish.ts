import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { exitCodeFor, formatDuration, formatError } from '@levitate/tools';

export interface BuiltFixture {
  /** Written to `manifest.json` at the top of the fixture. */
  readonly manifest: unknown;
  /** One line for the log, e.g. how many packages and which key. */
  readonly summary: string;
}

/**
 * Builds a fixture repository in a staging folder beside `target`, then swaps it into place:
 * a failed build leaves the previous fixture as it was.
 */
export async function publishFixture(
  target: string,
  build: (staging: string) => Promise<BuiltFixture>,
): Promise<string> {
  const started = Date.now();
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const suffix = randomBytes(4).toString('hex');
  const staging = join(parent, `.${basename(target)}.new-${suffix}`);
  const retired = join(parent, `.${basename(target)}.old-${suffix}`);
  try {
    const built = await build(staging);
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(built.manifest, null, 2)}\n`);
    if (existsSync(target)) await rename(target, retired);
    await rename(staging, target);
    return `${built.summary} in ${target} (${formatDuration(Date.now() - started)})`;
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(retired, { recursive: true, force: true });
  }
}

/** The entry point of a fixture command: prints the summary, or the error and its exit code. */
export function runFixtureCommand(command: () => Promise<string>): void {
  command().then(
    (summary) => console.log(summary),
    (error: unknown) => {
      console.error(formatError(error));
      process.exitCode = exitCodeFor(error);
    },
  );
}

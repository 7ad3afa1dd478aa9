import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { artifactName } from '@levitate/distro-spec';
import type { BuildContext } from './context.ts';
import { summariseReport } from './report.ts';
import type { BuildReport } from './report.ts';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Writes `content` to `target` through a temporary file in the same folder. */
async function writeAtomically(
  target: string,
  content: string | (() => Promise<void>),
): Promise<void> {
  const temp = join(target, '..', `.${basename(target)}.tmp-${process.pid}`);
  try {
    if (typeof content === 'string') await writeFile(temp, content);
    else await content.call(undefined);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Puts the ISO, its checksum and the build report into `dist/<id>/`, each written to a
 * temporary name first, so an interrupted build never leaves a half-written artifact there.
 */
export async function publishArtifacts(
  context: BuildContext,
  iso: string,
  report: Omit<BuildReport, 'artifacts'>,
): Promise<BuildReport> {
  await mkdir(context.outDir, { recursive: true });
  const isoName = artifactName(context.spec, { kind: 'iso' });
  const target = join(context.outDir, isoName);
  const temp = join(context.outDir, `.${isoName}.tmp-${process.pid}`);
  try {
    await copyFile(iso, temp);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
  const sha256 = await sha256File(target);
  await writeAtomically(
    join(context.outDir, artifactName(context.spec, { kind: 'iso-checksum' })),
    `${sha256}  ${isoName}\n`,
  );
  const complete: BuildReport = {
    ...report,
    artifacts: [{ file: isoName, bytes: (await stat(target)).size, sha256 }],
  };
  await writeAtomically(
    join(context.outDir, artifactName(context.spec, { kind: 'report' })),
    `${JSON.stringify(complete, null, 2)}\n`,
  );
  await writeAtomically(
    join(context.outDir, artifactName(context.spec, { kind: 'report-summary' })),
    summariseReport(complete),
  );
  return complete;
}

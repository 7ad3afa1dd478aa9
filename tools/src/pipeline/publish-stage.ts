import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { artifactName } from '@levitate/distro-spec/artifacts';
import type { BuildContext } from './context.ts';
import { PublishedSets } from './published-sets.ts';
import type { ChangeHook } from './published-sets.ts';
import { summariseReport } from './report.ts';
import type { BuildReport } from './report.ts';
import { sha256OfFile } from '../core/sha256.ts';

export interface PublishOptions {
  /** Called after every change to the output folder (see {@link ChangeHook}). */
  readonly afterChange?: ChangeHook;
  readonly now?: Date;
  /** The SPDX document of the build, once the ISO's digest is known. */
  readonly sbom?: (iso: { readonly file: string; readonly sha256: string }) => string;
}

/**
 * Puts the ISO, its checksum, the build report and the SBOM into `dist/<id>/` as one set: all are
 * written into a set folder of their own, then shown under their names at once, and the
 * previous set is removed (see {@link PublishedSets}). Killed at any point, the folder shows
 * the whole previous set or the whole new one.
 */
export async function publishArtifacts(
  context: Pick<BuildContext, 'spec' | 'outDir'>,
  iso: string,
  report: Omit<BuildReport, 'artifacts'>,
  options: PublishOptions = {},
): Promise<BuildReport> {
  const names = {
    iso: artifactName(context.spec, { kind: 'iso' }),
    checksum: artifactName(context.spec, { kind: 'iso-checksum' }),
    report: artifactName(context.spec, { kind: 'report' }),
    summary: artifactName(context.spec, { kind: 'report-summary' }),
    ...(options.sbom === undefined ? {} : { sbom: artifactName(context.spec, { kind: 'sbom' }) }),
  };
  const sets = new PublishedSets(
    context.outDir,
    Object.values(names),
    options.afterChange ?? (() => undefined),
  );
  await sets.prepare();
  const set = await sets.create(options.now ?? new Date());
  await sets.copyInto(set, names.iso, iso);
  const published = join(set, names.iso);
  const sha256 = await sha256OfFile(published);
  await sets.writeInto(set, names.checksum, `${sha256}  ${names.iso}\n`);
  const complete: BuildReport = {
    ...report,
    artifacts: [{ file: names.iso, bytes: (await stat(published)).size, sha256 }],
  };
  await sets.writeInto(set, names.report, `${JSON.stringify(complete, null, 2)}\n`);
  await sets.writeInto(set, names.summary, summariseReport(complete));
  if (options.sbom !== undefined && names.sbom !== undefined) {
    await sets.writeInto(set, names.sbom, options.sbom({ file: names.iso, sha256 }));
  }
  await sets.show(set);
  await sets.removeAllBut(set);
  return complete;
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '@levitate/tools';
import { rpmFileName } from './package-spec.ts';
import type { RpmPackageSpec } from './package-spec.ts';
import { STAGED_TREE_MACRO, specFileText } from './spec-file.ts';
import { stageTree } from './stage-tree.ts';

/** The host name recorded in every package, as `_buildhost`. */
export const FIXTURE_BUILD_HOST = 'fixture.levitateos.invalid';

/**
 * rpmbuild settings that make a package depend only on its spec and tree: build time and file
 * times from SOURCE_DATE_EPOCH, a fixed build host, no debuginfo or build-id links, none of the
 * brp scripts that would strip or compress the staged files, and a fast zstd payload.
 */
export function rpmbuildDefines(topDir: string, rpmDir: string): [string, string][] {
  return [
    ['_topdir', topDir],
    ['_tmppath', join(topDir, 'tmp')],
    ['_rpmdir', rpmDir],
    ['_rpmfilename', '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm'],
    ['_buildhost', FIXTURE_BUILD_HOST],
    ['use_source_date_epoch_as_buildtime', '1'],
    ['clamp_mtime_to_source_date_epoch', '1'],
    ['source_date_epoch_from_changelog', '0'],
    ['_binary_payload', 'w3.zstdio'],
    ['_binary_filedigest_algorithm', '8'],
    ['debug_package', '%{nil}'],
    ['_build_id_links', 'none'],
    ['__spec_install_post', '%{nil}'],
    ['__os_install_post', '%{nil}'],
    ['_missing_doc_files_terminate_build', '1'],
    ['_unpackaged_files_terminate_build', '1'],
  ];
}

export interface RpmbuildContext {
  readonly runner: Runner;
  /** Scratch space: staged trees, spec files, rpmbuild's top folder. */
  readonly workDir: string;
  /** Where the package lands. */
  readonly rpmDir: string;
  readonly epoch: number;
}

/** Writes `spec` with rpmbuild from a staged tree; returns the package file. */
export async function buildRpm(context: RpmbuildContext, spec: RpmPackageSpec): Promise<string> {
  const base = join(context.workDir, spec.name);
  const tree = join(base, 'tree');
  const topDir = join(base, 'rpmbuild');
  await mkdir(join(topDir, 'tmp'), { recursive: true });
  await stageTree(spec.entries, tree);
  const specFile = join(base, `${spec.name}.spec`);
  await writeFile(specFile, specFileText(spec));
  const defines = [...rpmbuildDefines(topDir, context.rpmDir), [STAGED_TREE_MACRO, tree]];
  await context.runner.run(
    [
      'rpmbuild',
      '-bb',
      '--quiet',
      `--target=${spec.arch}`,
      ...defines.flatMap(([name, value]) => ['--define', `${name} ${value}`]),
      specFile,
    ],
    { env: { SOURCE_DATE_EPOCH: String(context.epoch) }, timeoutMs: 900_000 },
  );
  return join(context.rpmDir, rpmFileName(spec));
}

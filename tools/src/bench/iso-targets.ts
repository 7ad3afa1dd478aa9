import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '../test-support/fixtures.ts';
import type { BenchBin } from './our-commands.ts';

/** A package of the build report, as the benchmark finds its file again. */
export interface BenchPackage {
  readonly name: string;
  readonly version: string;
  readonly arch: string;
}

/** One variant's ISO benchmark: the command that builds it and how the classic tools unpack it. */
export interface IsoBenchTarget {
  readonly title: string;
  /** The folder of `distro-spec/variants/` the variant is defined in. */
  readonly variant: string;
  readonly bin: BenchBin;
  /** The build command of the bin: `acorn iso`, `leviso build`. */
  readonly buildVerb: string;
  /** `project:target` of the cached nx build. */
  readonly nxTarget: string;
  packageFiles(packages: readonly BenchPackage[], arch: string): Promise<string[]>;
  /** The classic tool that unpacks one package file into a folder, and its command. */
  readonly extractWith: string;
  extract(file: string, into: string): string[];
}

const FIXTURES = join(WORKSPACE_ROOT, 'dist', 'fixtures');

export const ACORN_BENCH: IsoBenchTarget = {
  title: 'AcornOS',
  variant: 'acorn',
  bin: 'acorn',
  buildVerb: 'iso',
  nxTarget: 'acorn:iso',
  async packageFiles(packages, arch) {
    return packages.map((pkg) =>
      join(FIXTURES, 'apk-repo', 'repo', arch, `${pkg.name}-${pkg.version}.apk`),
    );
  },
  extractWith: 'tar',
  extract: (file, into) => ['tar', '-xzf', file, '-C', into, '--warning=no-unknown-keyword'],
};

const RPM_TREES = ['BaseOS', 'AppStream'].map((tree) =>
  join(FIXTURES, 'rpm-repo', tree, 'x86_64', 'os'),
);

/** Every .rpm under a folder, by file name. */
async function rpmFilesUnder(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.rpm')) {
      found.set(entry.name, join(entry.parentPath, entry.name));
    }
  }
  return found;
}

export const LEVITATE_BENCH: IsoBenchTarget = {
  title: 'LevitateOS',
  variant: 'levitate',
  bin: 'leviso',
  buildVerb: 'build',
  nxTarget: 'leviso:build',
  async packageFiles(packages) {
    const files = new Map<string, string>();
    for (const tree of RPM_TREES) {
      for (const [name, path] of await rpmFilesUnder(tree)) files.set(name, path);
    }
    return packages.map((pkg) => {
      const evr = pkg.version.replace(/^\d+:/, '');
      const file = files.get(`${pkg.name}-${evr}.${pkg.arch}.rpm`);
      if (file === undefined) throw new Error(`no file for ${pkg.name}-${evr} in the fixture`);
      return file;
    });
  },
  extractWith: 'bsdtar',
  extract: (file, into) => ['bsdtar', '-xf', file, '-C', into],
};

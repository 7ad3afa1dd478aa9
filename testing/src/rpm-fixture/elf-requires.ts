import { readFile } from 'node:fs/promises';
import { UserError } from '@levitate/tools';
import { elfInterpreterAndNeeded } from '@levitate/tools/initramfs';
import { isLinkedElf } from '../debian/library-closure.ts';
import { sharedObjectIndex } from './debian-drafts.ts';
import type { RpmEntry } from './package-spec.ts';

interface Packaged {
  readonly name: string;
  readonly entries: readonly RpmEntry[];
}

async function elfBytes(entry: RpmEntry): Promise<Uint8Array | undefined> {
  if (entry.type !== 'file' || entry.flags?.ghost === true) return undefined;
  if (entry.content instanceof Uint8Array) return undefined;
  if (!(await isLinkedElf(entry.content.hostPath))) return undefined;
  return new Uint8Array(await readFile(entry.content.hostPath));
}

/**
 * The packages each package needs for the shared objects its ELF files name (DT_NEEDED and the
 * program interpreter), by package name; every one must be shipped by some package of the
 * repository, or the build fails listing each file and what it lacks.
 */
export async function sharedObjectRequires(
  packages: readonly Packaged[],
): Promise<Map<string, string[]>> {
  const index = sharedObjectIndex(packages);
  const requires = new Map<string, string[]>();
  const unsatisfied: string[] = [];
  for (const pkg of packages) {
    const needed = new Set<string>();
    for (const entry of pkg.entries) {
      const bytes = await elfBytes(entry);
      if (bytes === undefined) continue;
      const info = elfInterpreterAndNeeded(bytes);
      const names = [...info.needed];
      if (info.interpreter !== undefined) {
        names.push(info.interpreter.slice(info.interpreter.lastIndexOf('/') + 1));
      }
      for (const name of names) {
        const provider = index.get(name);
        if (provider === undefined) {
          unsatisfied.push(`${pkg.name}: ${entry.path} needs ${name}`);
        } else if (provider !== pkg.name) {
          needed.add(provider);
        }
      }
    }
    requires.set(pkg.name, [...needed].sort());
  }
  if (unsatisfied.length > 0) {
    throw new UserError(
      'rpm-fixture-unsatisfied',
      `no package of the fixture ships the shared objects these files need:\n  ${unsatisfied.join('\n  ')}`,
      {
        hint: "add the Debian package that ships them to a recipe's debs or libraryDebs in testing/src/rpm-fixture/recipes.ts",
      },
    );
  }
  return requires;
}

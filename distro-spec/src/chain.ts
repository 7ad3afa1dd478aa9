import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecError } from './errors.ts';
import { readVariantSource, syntaxProblems } from './source.ts';
import type { SpecProblem, VariantSource } from './source.ts';

/** The folder holding the built-in variants, one subfolder each with a `variant.yaml`. */
export const VARIANTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'variants');

export const BUILTIN_VARIANTS = ['acorn', 'iuppiter', 'levitate'] as const;
export type BuiltinVariant = (typeof BUILTIN_VARIANTS)[number];

/** A variant reference is a built-in name or a path to a `.yaml` file. */
export function variantFile(ref: string, from: string = VARIANTS_DIR): string {
  if (ref.endsWith('.yaml') || ref.endsWith('.yml'))
    return isAbsolute(ref) ? ref : resolve(from, ref);
  return resolve(VARIANTS_DIR, ref, 'variant.yaml');
}

/**
 * Reads a variant file and every file it extends, leaf first. Syntax problems in any of
 * them are gathered and thrown together; a missing parent or a cycle is a problem too.
 */
export async function readChain(ref: string): Promise<VariantSource[]> {
  const chain: VariantSource[] = [];
  const problems: SpecProblem[] = [];
  let file = variantFile(ref, process.cwd());
  if (!existsSync(file)) {
    throw new SpecError(
      ref,
      [{ file, line: 1, col: 1, path: '', message: 'no such variant file' }],
      `use one of ${BUILTIN_VARIANTS.join(', ')} or a path to a variant .yaml file`,
    );
  }
  for (;;) {
    const source = await readVariantSource(file);
    chain.push(source);
    problems.push(...syntaxProblems(source));
    const parent: unknown = source.doc.get('extends');
    if (parent === undefined || parent === null) break;
    if (typeof parent !== 'string') break;
    const parentFile = variantFile(parent, dirname(file));
    const at = source.lines.linePos(
      (source.doc.get('extends', true) as { range?: number[] })?.range?.[0] ?? 0,
    );
    if (chain.some((seen) => seen.file === parentFile)) {
      problems.push({
        file,
        ...at,
        path: 'extends',
        message: `"${parent}" leads back to a file already in the chain`,
      });
      break;
    }
    if (!existsSync(parentFile)) {
      problems.push({
        file,
        ...at,
        path: 'extends',
        message: `no variant "${parent}" (looked for ${parentFile})`,
      });
      break;
    }
    file = parentFile;
  }
  if (problems.length > 0) throw new SpecError(ref, problems);
  return chain;
}

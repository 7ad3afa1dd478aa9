import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecError } from './errors.ts';
import { parseVariantSource, syntaxProblems } from './source.ts';
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
 * them are gathered and thrown together; a missing or unreadable parent or a cycle is a
 * problem too, at the `extends` that names it.
 */
export async function readChain(ref: string): Promise<VariantSource[]> {
  const chain: VariantSource[] = [];
  const problems: SpecProblem[] = [];
  let file = variantFile(ref, process.cwd());
  let read = await readVariantFile(file);
  if (read.source === undefined) {
    const { message, hint } = read.failure;
    throw new SpecError(ref, [{ file, line: 1, col: 1, path: '', message }], hint);
  }
  let hint: string | undefined;
  for (;;) {
    const source = read.source;
    chain.push(source);
    problems.push(...syntaxProblems(source));
    const parent = source.data === undefined ? undefined : source.doc.get('extends');
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
    read = await readVariantFile(parentFile);
    if (read.source === undefined) {
      const failure = read.failure;
      problems.push({
        file,
        ...at,
        path: 'extends',
        message:
          failure.kind === 'missing'
            ? `no variant "${parent}" (looked for ${parentFile})`
            : `"${parent}" (${parentFile}): ${failure.message}`,
      });
      if (failure.kind !== 'missing') hint = failure.hint;
      break;
    }
    file = parentFile;
  }
  if (problems.length > 0) throw new SpecError(ref, problems, hint);
  return chain;
}

interface ReadFailure {
  readonly kind: 'missing' | 'folder' | 'special' | 'unreadable';
  readonly message: string;
  readonly hint: string;
}

/**
 * A variant file, read and parsed; or why it cannot be read, said in words a user can act on
 * (a folder, a FIFO, no permission) rather than as an error code.
 */
async function readVariantFile(
  file: string,
): Promise<{ source: VariantSource; failure?: never } | { source?: never; failure: ReadFailure }> {
  const stats = await stat(file).catch((error: unknown) => error as NodeJS.ErrnoException);
  if (stats instanceof Error) return { failure: statFailure(file, stats) };
  if (stats.isDirectory()) {
    const inside = join(file, 'variant.yaml');
    return {
      failure: {
        kind: 'folder',
        message: 'a folder, not a variant file',
        hint: existsSync(inside)
          ? `name the file inside it: ${inside}`
          : 'name a variant .yaml file, or a built-in variant',
      },
    };
  }
  if (!stats.isFile()) {
    return {
      failure: {
        kind: 'special',
        message: 'not a regular file (a FIFO, socket or device)',
        hint: 'save the variant to a file and name that',
      },
    };
  }
  try {
    return { source: parseVariantSource(file, await readFile(file, 'utf8')) };
  } catch (error) {
    return { failure: statFailure(file, error as NodeJS.ErrnoException) };
  }
}

function statFailure(file: string, error: NodeJS.ErrnoException): ReadFailure {
  switch (error.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return {
        kind: 'missing',
        message: 'no such variant file',
        hint: `use one of ${BUILTIN_VARIANTS.join(', ')} or a path to a variant .yaml file`,
      };
    case 'EACCES':
    case 'EPERM':
      return {
        kind: 'unreadable',
        message: 'cannot be read: permission denied',
        hint: `make it readable for this user (ls -l ${file}), or copy it somewhere readable`,
      };
    case 'EISDIR':
      return {
        kind: 'folder',
        message: 'a folder, not a variant file',
        hint: 'name a variant .yaml file, or a built-in variant',
      };
    default:
      return {
        kind: 'unreadable',
        message: `cannot be read: ${error.message}`,
        hint: 'check the file and the disk it is on',
      };
  }
}

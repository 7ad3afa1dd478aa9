import type { z } from 'zod';
import { formatPath, locate } from './source.ts';
import type { PathSegment, SpecProblem, VariantSource } from './source.ts';

type Issue = z.core.$ZodIssue;

/**
 * Turns schema issues into located problems. `sources` is the chain of files that produced
 * the data, leaf first: a problem is reported in the first file that writes the path, or
 * in the leaf file when no file does (a missing field).
 */
export function problemsFromIssues(
  issues: readonly Issue[],
  sources: readonly VariantSource[],
): SpecProblem[] {
  return flattenUnions(issues).map((issue) => toProblem(issue, sources));
}

function toProblem(issue: Issue, sources: readonly VariantSource[]): SpecProblem {
  const path = issue.path.filter(isSegment);
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  return locatedProblem(sources, path, describe(issue), unknownKey);
}

/** A problem at `path` (or at `key` inside it), located in the first file of `sources` that writes it. */
export function locatedProblem(
  sources: readonly VariantSource[],
  path: readonly PathSegment[],
  message: string,
  key?: string,
): SpecProblem {
  const source = sources.find((candidate) => definesPath(candidate, path)) ?? sources[0];
  if (!source) throw new Error('a problem needs at least one source file');
  const pos = locate(source, path, key) ?? { line: 1, col: 1 };
  return {
    file: source.file,
    line: pos.line,
    col: pos.col,
    path: formatPath(key === undefined ? path : [...path, key]),
    message,
  };
}

function describe(issue: Issue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined)
        return `missing required field (expected ${yamlKind(issue.expected)})`;
      return `expected ${yamlKind(issue.expected)}, got ${kindOf(input)} ${preview(input)}`;
    case 'unrecognized_keys':
      return issue.keys.length === 1
        ? `unknown key "${issue.keys[0]}"`
        : `unknown keys ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_union':
      return 'expected a list, or a mapping with add/remove';
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}, got ${preview(input)}`;
    case 'invalid_format':
      return `${issue.message}, got ${preview(input)}`;
    default:
      return issue.message;
  }
}

/**
 * A union fails with one issue list per branch. Report the branch that got furthest into the
 * value (its issues have the longest paths); when no branch got further, keep the union issue.
 */
function flattenUnions(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) {
      out.push(issue);
      continue;
    }
    const depth = (branch: readonly Issue[]) => Math.max(...branch.map((item) => item.path.length));
    const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0] ?? [];
    if (best.length > 0 && depth(best) > 0) {
      out.push(
        ...flattenUnions(best.map((item) => ({ ...item, path: [...issue.path, ...item.path] }))),
      );
    } else {
      out.push(issue);
    }
  }
  return out;
}

function definesPath(source: VariantSource, path: readonly PathSegment[]): boolean {
  return path.length === 0 || source.doc.hasIn(path);
}

function isSegment(value: PropertyKey): value is PathSegment {
  return typeof value === 'string' || typeof value === 'number';
}

/** Schema type names as a YAML author knows them. */
function yamlKind(expected: string): string {
  if (expected === 'array') return 'list';
  if (expected === 'object' || expected === 'record') return 'mapping';
  return expected;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  return typeof value;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

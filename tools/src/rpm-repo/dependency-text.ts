/**
 * An RPM dependency (`RpmDependency`) as text: the comparison operators, the
 * `[epoch:]version[-release]` string a package header stores, and the line rpm and dnf print.
 */

import type { RpmComparison, RpmDependency } from './types.ts';

export type RpmComparisonOperator = '<' | '<=' | '=' | '>=' | '>';

export const COMPARISON_OPERATOR: Readonly<Record<RpmComparison, RpmComparisonOperator>> = {
  LT: '<',
  LE: '<=',
  EQ: '=',
  GE: '>=',
  GT: '>',
};

const COMPARISON_OF_OPERATOR: ReadonlyMap<string, RpmComparison> = new Map(
  (Object.entries(COMPARISON_OPERATOR) as [RpmComparison, string][]).map(([flags, op]) => [
    op,
    flags,
  ]),
);

/** The comparison for an operator such as `>=` (or `==`), or undefined. */
export function comparisonOf(operator: string): RpmComparison | undefined {
  return COMPARISON_OF_OPERATOR.get(operator === '==' ? '=' : operator);
}

function present(text: string | undefined): text is string {
  return text !== undefined && text !== '';
}

/**
 * Splits `[epoch:]version[-release]` as rpm does: the epoch is the digits before a `:`, the
 * release what follows the last `-`. Parts that are not there are left out.
 */
export function splitEvr(text: string): Pick<RpmDependency, 'epoch' | 'version' | 'release'> {
  const digits = /^\d*/.exec(text)?.[0].length ?? 0;
  const hasEpoch = text[digits] === ':';
  const epoch = hasEpoch ? text.slice(0, digits) || '0' : undefined;
  const rest = hasEpoch ? text.slice(digits + 1) : text;
  const dash = rest.lastIndexOf('-');
  return {
    ...(epoch === undefined ? {} : { epoch }),
    version: dash < 0 ? rest : rest.slice(0, dash),
    ...(dash < 0 ? {} : { release: rest.slice(dash + 1) }),
  };
}

/** The version part as a header stores it: `[epoch:]version[-release]`, every part kept. */
export function evrText(dep: Pick<RpmDependency, 'epoch' | 'version' | 'release'>): string {
  if (dep.version === undefined) return '';
  const epoch = present(dep.epoch) ? `${dep.epoch}:` : '';
  const release = present(dep.release) ? `-${dep.release}` : '';
  return `${epoch}${dep.version}${release}`;
}

/**
 * Text of a dependency as rpm and dnf print it: `name`, or `name >= [epoch:]version[-release]`.
 * An epoch a header stored is shown as stored; the `0` repository metadata writes for a
 * dependency without one is left out.
 */
export function formatDependency(dep: RpmDependency): string {
  if (dep.flags === undefined || dep.version === undefined) return dep.name;
  const shown = dep.sense === undefined && dep.epoch === '0' ? { ...dep, epoch: undefined } : dep;
  return `${dep.name} ${COMPARISON_OPERATOR[dep.flags]} ${evrText(shown)}`;
}

/** A dependency on `name` in the range `flags evr`, the version text split as rpm splits it. */
export function versionedDependency(
  name: string,
  flags: RpmComparison,
  evr: string,
): RpmDependency {
  return { name, flags, ...splitEvr(evr) };
}

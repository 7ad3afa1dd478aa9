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

/**
 * Splits `[epoch:]version[-release]` as rpm does: the epoch is the digits before a `:`, the
 * release what follows the last `-`. Parts that are not there are left out; parts that are
 * there but empty (`:1.2`, `1.2-`) are kept empty, so the text can be given back as it was.
 */
export function splitEvr(text: string): Pick<RpmDependency, 'epoch' | 'version' | 'release'> {
  const digits = /^\d*/.exec(text)?.[0].length ?? 0;
  const hasEpoch = text[digits] === ':';
  const rest = hasEpoch ? text.slice(digits + 1) : text;
  const dash = rest.lastIndexOf('-');
  return {
    ...(hasEpoch ? { epoch: text.slice(0, digits) } : {}),
    version: dash < 0 ? rest : rest.slice(0, dash),
    ...(dash < 0 ? {} : { release: rest.slice(dash + 1) }),
  };
}

/** The version part as a header stores it: `[epoch:]version[-release]`, every part kept. */
export function evrText(dep: Pick<RpmDependency, 'epoch' | 'version' | 'release'>): string {
  if (dep.version === undefined) return '';
  const epoch = dep.epoch === undefined ? '' : `${dep.epoch}:`;
  const release = dep.release === undefined ? '' : `-${dep.release}`;
  return `${epoch}${dep.version}${release}`;
}

/** The comparison bits of a header's RPMSENSE flags as rpm prints them: `<`, `>=`, `<>`... */
function senseOperator(sense: number): string {
  return (sense & 2 ? '<' : '') + (sense & 4 ? '>' : '') + (sense & 8 ? '=' : '');
}

/** A dependency as a package header stored it, printed as `rpm -q --requires` prints it. */
function formatStored(dep: RpmDependency, sense: number): string {
  const operator = senseOperator(sense);
  const version = evrText(dep);
  return [
    dep.name,
    ...(operator === '' ? [] : [operator]),
    ...(version === '' ? [] : [version]),
  ].join(' ');
}

/**
 * Text of a dependency as rpm and dnf print it: `name`, or `name >= [epoch:]version[-release]`.
 * One a header stored is printed as stored (its comparison bits and version text as they are);
 * for one from repository metadata, the epoch `0` written for a dependency without one is left
 * out.
 */
export function formatDependency(dep: RpmDependency): string {
  if (dep.sense !== undefined) return formatStored(dep, dep.sense);
  if (dep.flags === undefined || dep.version === undefined) return dep.name;
  const epoch =
    dep.epoch === undefined || dep.epoch === '' || dep.epoch === '0' ? {} : { epoch: dep.epoch };
  const release = dep.release === undefined || dep.release === '' ? {} : { release: dep.release };
  return `${dep.name} ${COMPARISON_OPERATOR[dep.flags]} ${evrText({ version: dep.version, ...epoch, ...release })}`;
}

/** A dependency on `name` in the range `flags evr`, the version text split as rpm splits it. */
export function versionedDependency(
  name: string,
  flags: RpmComparison,
  evr: string,
): RpmDependency {
  return { name, flags, ...splitEvr(evr) };
}

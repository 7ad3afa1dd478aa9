/**
 * Dependencies as APKINDEX `D:`, `p:`, `i:` and `r:` fields and apk's command line write them:
 * `name`, `!name`, `name>=1.2`, `name=1.2-r0`, `name~1.2`, `so:libc.musl-x86_64.so.1`,
 * `cmd:sh`, `pc:zlib>=1.2`, and `name><Q1...` (one exact package, by its identity hash).
 */

import {
  VERSION_EQUAL,
  VERSION_GREATER,
  VERSION_LESS,
  compareVersionBits,
  isValidApkVersion,
} from './version.ts';

/**
 * Version operators. `~` is apk's fuzzy match (`~1.2` accepts `1.2`, `1.2.3`, `1.2-r4`), also
 * combined with `<` or `>`; `><` names one exact package by the identity hash of its `C:` field.
 */
export type ApkVersionOp = '=' | '<' | '<=' | '>' | '>=' | '~' | '<~' | '>~' | '><';

export interface ApkDependency {
  readonly name: string;
  /** `!name`: the named package must not be installed (or not in the given versions). */
  readonly conflict: boolean;
  readonly op?: ApkVersionOp;
  /** The version (or identity hash for `><`); present exactly when `op` is. */
  readonly version?: string;
}

interface OperatorMeaning {
  readonly bits: number;
  readonly fuzzy: boolean;
}

const OPERATORS: Readonly<Record<ApkVersionOp, OperatorMeaning>> = {
  '<': { bits: VERSION_LESS, fuzzy: false },
  '<=': { bits: VERSION_LESS | VERSION_EQUAL, fuzzy: false },
  '=': { bits: VERSION_EQUAL, fuzzy: false },
  '>=': { bits: VERSION_GREATER | VERSION_EQUAL, fuzzy: false },
  '>': { bits: VERSION_GREATER, fuzzy: false },
  '~': { bits: VERSION_EQUAL, fuzzy: true },
  '<~': { bits: VERSION_LESS | VERSION_EQUAL, fuzzy: true },
  '>~': { bits: VERSION_GREATER | VERSION_EQUAL, fuzzy: true },
  '><': { bits: VERSION_LESS | VERSION_GREATER, fuzzy: false },
};

const FUZZY_BIT = 8;

function operatorSignature(meaning: OperatorMeaning): number {
  return meaning.bits | (meaning.fuzzy ? FUZZY_BIT : 0);
}

/** The canonical operator for a run of `<`, `>`, `=` and `~`, in any order and repetition. */
function operatorFromText(text: string): ApkVersionOp | undefined {
  let bits = 0;
  for (const char of text) {
    if (char === '<') bits |= VERSION_LESS;
    else if (char === '>') bits |= VERSION_GREATER;
    else if (char === '=') bits |= VERSION_EQUAL;
    else if (char === '~') bits |= VERSION_EQUAL | FUZZY_BIT;
  }
  const ops = Object.keys(OPERATORS) as ApkVersionOp[];
  return ops.find((op) => operatorSignature(OPERATORS[op]) === bits);
}

function isOperatorChar(char: string | undefined): boolean {
  return char === '<' || char === '>' || char === '=' || char === '~';
}

/**
 * Parses one dependency. Throws an `Error` whose message says what is wrong; callers add the
 * file and line.
 */
export function parseApkDependency(text: string): ApkDependency {
  let rest = text;
  const conflict = rest.startsWith('!');
  if (conflict) {
    rest = rest.slice(1);
  }
  let opStart = 0;
  while (opStart < rest.length && !isOperatorChar(rest[opStart])) {
    opStart++;
  }
  const name = rest.slice(0, opStart);
  if (name === '') {
    throw new Error(`dependency ${JSON.stringify(text)} has no name`);
  }
  if (opStart === rest.length) {
    return { name, conflict };
  }
  let versionStart = opStart;
  while (versionStart < rest.length && isOperatorChar(rest[versionStart])) {
    versionStart++;
  }
  const op = operatorFromText(rest.slice(opStart, versionStart));
  const version = rest.slice(versionStart);
  if (op === undefined) {
    throw new Error(`dependency ${JSON.stringify(text)} has an unknown version operator`);
  }
  if (version === '') {
    throw new Error(`dependency ${JSON.stringify(text)} has an operator but no version`);
  }
  if (op !== '><' && !isValidApkVersion(version)) {
    throw new Error(`dependency ${JSON.stringify(text)} has an invalid version`);
  }
  return { name, conflict, op, version };
}

/** Parses a space-separated dependency list (the value of a `D:`, `p:`, `i:` or `r:` field). */
export function parseApkDependencyList(text: string): ApkDependency[] {
  const result: ApkDependency[] = [];
  for (const word of text.split(/[ \t]+/)) {
    if (word !== '') {
      result.push(parseApkDependency(word));
    }
  }
  return result;
}

/** The dependency as apk writes it. */
export function formatApkDependency(dep: ApkDependency): string {
  return `${dep.conflict ? '!' : ''}${dep.name}${dep.op ?? ''}${dep.version ?? ''}`;
}

/**
 * Whether `version` stands in relation `op` to `wanted`: `versionSatisfies('1.2.3-r0', '~',
 * '1.2')` is true. For `><`, both are identity hashes and must be equal.
 */
export function versionSatisfies(version: string, op: ApkVersionOp, wanted: string): boolean {
  if (op === '><') {
    return version === wanted;
  }
  const meaning = OPERATORS[op];
  return (compareVersionBits(version, wanted, meaning.fuzzy) & meaning.bits) !== 0;
}

/** What a name is provided as: a package's own name and version, or one of its provides. */
export interface ProvidedAs {
  /** Undefined for a virtual provide (`p:name` without a version). */
  readonly version: string | undefined;
  /** The providing package's identity hash (`C:`), for `><` dependencies. */
  readonly checksum: string | undefined;
}

/**
 * Whether the dependency holds when its name is provided as `provided` (or by nothing, when
 * undefined). A conflict holds exactly when the plain dependency does not. A virtual provide
 * satisfies only dependencies without a version.
 */
export function dependencyHolds(dep: ApkDependency, provided: ProvidedAs | undefined): boolean {
  if (provided === undefined) {
    return dep.conflict;
  }
  if (dep.op === undefined || dep.version === undefined) {
    return !dep.conflict;
  }
  if (dep.op === '><') {
    return provided.checksum === dep.version;
  }
  if (provided.version === undefined) {
    return dep.conflict;
  }
  const meaning = OPERATORS[dep.op];
  const bits = compareVersionBits(provided.version, dep.version, meaning.fuzzy);
  return (bits & meaning.bits) !== 0 ? !dep.conflict : dep.conflict;
}

import { formatApkDependency } from '../dependency.ts';
import type { ApkIndexRecord } from '../record.ts';

/**
 * A package as `apk index` (apk-tools 2) writes its record: the fields it keeps, with its
 * defaults (`I:0`, empty `T:`, `U:`, `L:`) and without the ones it leaves out when zero or
 * unset (`t:`, `k:`, `o:`, `m:`, `c:`). Two records apk would write alike have equal views.
 */
export interface ApkIndexView {
  readonly C: string | undefined;
  readonly P: string;
  readonly V: string;
  readonly A: string | undefined;
  readonly S: number;
  readonly I: number;
  readonly T: string;
  readonly U: string;
  readonly L: string;
  readonly o: string | undefined;
  readonly m: string | undefined;
  readonly t: number | undefined;
  readonly c: string | undefined;
  readonly k: number | undefined;
  readonly D: readonly string[];
  readonly p: readonly string[];
  readonly i: readonly string[];
}

export interface ApkIndexViewInput {
  readonly checksum?: string | undefined;
  readonly name: string;
  readonly version: string;
  readonly arch?: string | undefined;
  readonly size?: number | undefined;
  readonly installedSize?: number | undefined;
  readonly description?: string | undefined;
  readonly url?: string | undefined;
  readonly license?: string | undefined;
  readonly origin?: string | undefined;
  readonly maintainer?: string | undefined;
  readonly buildTime?: number | undefined;
  readonly commit?: string | undefined;
  readonly providerPriority?: number | undefined;
  readonly depends: readonly string[];
  readonly provides: readonly string[];
  readonly installIf: readonly string[];
}

const nonZero = (value: number | undefined) => (value === 0 ? undefined : value);
const nonEmpty = (value: string | undefined) => (value === '' ? undefined : value);

export function apkIndexView(input: ApkIndexViewInput): ApkIndexView {
  return {
    C: input.checksum,
    P: input.name,
    V: input.version,
    A: input.arch,
    S: input.size ?? 0,
    I: input.installedSize ?? 0,
    T: input.description ?? '',
    U: input.url ?? '',
    L: input.license ?? '',
    o: nonEmpty(input.origin),
    m: nonEmpty(input.maintainer),
    t: nonZero(input.buildTime),
    c: nonEmpty(input.commit),
    k: nonZero(input.providerPriority),
    D: input.depends,
    p: input.provides,
    i: input.installIf,
  };
}

export function viewOfRecord(record: ApkIndexRecord): ApkIndexView {
  return apkIndexView({
    ...record,
    depends: record.depends.map(formatApkDependency),
    provides: record.provides.map(formatApkDependency),
    installIf: record.installIf.map(formatApkDependency),
  });
}

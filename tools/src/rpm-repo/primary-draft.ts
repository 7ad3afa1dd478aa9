import type { Checksum } from './fields.ts';
import { MetadataProblem } from './problem.ts';
import { checkRelativePath, joinUrl } from './source.ts';
import type { RpmDependency, RpmEvr, RpmRepoPackage } from './types.ts';
import type { XmlAttributes } from './xml-stream.ts';

/** The dependency lists of a package, by the name of their field, in the order of its record. */
export const DEPENDENCY_KINDS = [
  'provides',
  'requires',
  'conflicts',
  'obsoletes',
  'recommends',
  'suggests',
  'supplements',
  'enhances',
] as const;

export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];

/** `rpm:provides` -> `provides`, and so on. */
export const DEPENDENCY_LISTS: ReadonlyMap<string, DependencyKind> = new Map(
  DEPENDENCY_KINDS.map((kind) => [`rpm:${kind}`, kind]),
);

const ALLOWED_BASE_PROTOCOLS = new Set(['http:', 'https:', 'ftp:', 'file:']);

/** A package of primary.xml while its element is being read. */
export interface Draft {
  name?: string;
  arch?: string;
  evr?: RpmEvr;
  checksum?: Checksum;
  summary: string;
  packageSize: number;
  installedSize: number;
  buildTime: number;
  location?: string;
  locationBase?: string;
  sourceRpm?: string;
  license?: string;
  vendor?: string;
  headerRange?: { start: number; end: number };
  dependencies: Record<DependencyKind, RpmDependency[]>;
  files: string[];
  entries: number;
}

export function emptyDraft(): Draft {
  return {
    summary: '',
    packageSize: 0,
    installedSize: 0,
    buildTime: 0,
    dependencies: {
      provides: [],
      requires: [],
      conflicts: [],
      obsoletes: [],
      recommends: [],
      suggests: [],
      supplements: [],
      enhances: [],
    },
    files: [],
    entries: 0,
  };
}

/** A package location: relative to the repository, or absolute under its `xml:base`. */
export function parseLocation(draft: Draft, attributes: XmlAttributes, what: string): void {
  const href = attributes.get('href') ?? '';
  let relative: string;
  try {
    relative = checkRelativePath(href);
  } catch (error) {
    throw new MetadataProblem(`${what}: ${(error as Error).message}`);
  }
  const base = attributes.get('xml:base');
  if (base === undefined) {
    draft.location = relative;
    return;
  }
  if (!URL.canParse(base) || !ALLOWED_BASE_PROTOCOLS.has(new URL(base).protocol)) {
    throw new MetadataProblem(`${what}: xml:base ${JSON.stringify(base)} is not a usable URL`);
  }
  draft.location = joinUrl(base, relative);
  draft.locationBase = base;
}

function checkWord(value: string | undefined, field: string, what: string): string {
  if (value === undefined || value === '' || /[\s\u0000-\u001f\u007f]/.test(value)) {
    throw new MetadataProblem(
      `${what}: missing or invalid <${field}> ${JSON.stringify(value ?? '')}`,
    );
  }
  return value;
}

export function finishPackage(draft: Draft, repository: string, what: string): RpmRepoPackage {
  const name = checkWord(draft.name, 'name', what);
  const arch = checkWord(draft.arch, 'arch', what);
  if (draft.evr === undefined) throw new MetadataProblem(`${what}: no <version>`);
  if (draft.checksum === undefined) throw new MetadataProblem(`${what}: no <checksum>`);
  if (draft.location === undefined) throw new MetadataProblem(`${what}: no <location>`);
  return {
    repository,
    name,
    arch,
    evr: draft.evr,
    checksum: draft.checksum,
    summary: draft.summary,
    packageSize: draft.packageSize,
    installedSize: draft.installedSize,
    location: draft.location,
    ...(draft.locationBase === undefined ? {} : { locationBase: draft.locationBase }),
    buildTime: draft.buildTime,
    ...(draft.sourceRpm ? { sourceRpm: draft.sourceRpm } : {}),
    ...(draft.license ? { license: draft.license } : {}),
    ...(draft.vendor ? { vendor: draft.vendor } : {}),
    ...(draft.headerRange === undefined ? {} : { headerRange: draft.headerRange }),
    ...draft.dependencies,
    files: draft.files,
  };
}

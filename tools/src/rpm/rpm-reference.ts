/**
 * Reference answers from the host's rpm (Debian's rpm 4.18) for the conformance tests: one
 * `rpm -qp --queryformat ... --dump` run over all packages gives, for each, the package fields,
 * dependency lists, scriptlets, triggers, signature descriptions, digests and the `--dump` file
 * list.
 *
 * Only tests use this module.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from '../core/run.ts';
import type { RpmSignatureSummary } from './signatures.ts';

const SEP = '@@S@@';
const REC = '@@R@@';

const SCALARS = [
  'NAME',
  'EPOCH',
  'VERSION',
  'RELEASE',
  'ARCH',
  'NEVRA',
  'SUMMARY',
  'LICENSE',
  'LONGSIZE',
  'PAYLOADFORMAT',
  'PAYLOADCOMPRESSOR',
  'SOURCERPM',
  'SHA1HEADER',
  'SHA256HEADER',
  'SIGMD5',
  'SIGSIZE',
  'RSAHEADER:pgpsig',
  'DSAHEADER:pgpsig',
  'SIGPGP:pgpsig',
  'SIGGPG:pgpsig',
] as const;

export const DEPENDENCY_QUERIES = {
  provides: 'PROVIDENEVRS',
  requires: 'REQUIRENEVRS',
  conflicts: 'CONFLICTNEVRS',
  obsoletes: 'OBSOLETENEVRS',
  recommends: 'RECOMMENDNEVRS',
  suggests: 'SUGGESTNEVRS',
  supplements: 'SUPPLEMENTNEVRS',
  enhances: 'ENHANCENEVRS',
} as const;

/** Our phase names and rpm's body and program tags. */
export const SCRIPT_QUERIES = [
  ['pretrans', 'PRETRANS', 'PRETRANSPROG'],
  ['pre-install', 'PREIN', 'PREINPROG'],
  ['post-install', 'POSTIN', 'POSTINPROG'],
  ['pre-uninstall', 'PREUN', 'PREUNPROG'],
  ['post-uninstall', 'POSTUN', 'POSTUNPROG'],
  ['posttrans', 'POSTTRANS', 'POSTTRANSPROG'],
  ['verify', 'VERIFYSCRIPT', 'VERIFYSCRIPTPROG'],
] as const;

export const TRIGGER_QUERIES = [
  ['trigger', 'TRIGGER'],
  ['file-trigger', 'FILETRIGGER'],
  ['transfile-trigger', 'TRANSFILETRIGGER'],
] as const;

function queryFormat(): string {
  const parts: string[] = [];
  const section = (name: string, body: string) => parts.push(`@@${name}@@\n${body}\n`);
  for (const tag of SCALARS) section(tag, `%{${tag}}`);
  for (const tag of Object.values(DEPENDENCY_QUERIES)) section(tag, `[%{${tag}}${REC}]`);
  for (const [, body, program] of SCRIPT_QUERIES) {
    section(body, `%{${body}}`);
    section(program, `[%{${program}}${SEP}]`);
  }
  for (const [, prefix] of TRIGGER_QUERIES) {
    const fields = ['TYPE', 'CONDS', 'SCRIPTPROG', 'SCRIPTS'].map(
      (field) => `%{${prefix}${field}}`,
    );
    section(prefix, `[${fields.join(SEP)}${REC}]`);
  }
  section('FILES', `[%{FILENLINKS}${SEP}%{FILEFLAGS}${SEP}%{FILECAPS}${REC}]`);
  section('PAYLOADDIGEST', `[%{PAYLOADDIGEST}]`);
  section('PAYLOADDIGESTALT', `[%{PAYLOADDIGESTALT}]`);
  parts.push('@@END@@\n');
  return parts.join('');
}

export interface RpmReference {
  /** Scalar and array sections by tag name, as rpm printed them. */
  readonly sections: ReadonlyMap<string, string>;
  /** `rpm -qp --dump` lines, in header order. */
  readonly dump: readonly string[];
}

/** Splits a `[...@@R@@]` section into its records. */
export function records(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  const parts = text.split(REC);
  parts.pop();
  return parts;
}

export function fields(record: string): string[] {
  return record.split(SEP);
}

function parseOne(stdout: string): RpmReference {
  const end = stdout.indexOf('@@END@@\n');
  if (end < 0) throw new Error(`unexpected rpm output: ${stdout.slice(0, 200)}`);
  const head = stdout.slice(0, end);
  const sections = new Map<string, string>();
  const marker = /^@@([A-Z0-9:_a-z]+)@@\n/gm;
  const found = [...head.matchAll(marker)];
  found.forEach((match, index) => {
    const start = (match.index ?? 0) + match[0].length;
    const stop = found[index + 1]?.index ?? head.length;
    sections.set(match[1] ?? '', head.slice(start, stop).replace(/\n$/, ''));
  });
  const dump = stdout.slice(end + '@@END@@\n'.length).split('\n');
  if (dump[dump.length - 1] === '') dump.pop();
  return { sections, dump };
}

/** A scratch rpm database folder, so that rpm never reads or writes the host's. */
export async function withRpmDatabase<T>(use: (dbpath: string) => Promise<T>): Promise<T> {
  const dbpath = await mkdtemp(join(tmpdir(), 'leviso-rpm-db-'));
  try {
    return await use(dbpath);
  } finally {
    await rm(dbpath, { recursive: true, force: true });
  }
}

const runner = createRunner();

/**
 * Runs rpm once over all the packages (signatures and digests are not checked: no keys are
 * imported) and splits its output per package, in the order given.
 */
export async function queryReferences(
  files: readonly string[],
  dbpath: string,
): Promise<Map<string, RpmReference>> {
  const argv = ['rpm', '-qp', '--nosignature', '--nodigest', '--dbpath', dbpath];
  const result = await runner.run([...argv, '--queryformat', queryFormat(), '--dump', ...files]);
  const starts = [...result.stdout.matchAll(/^@@NAME@@\n/gm)].map((match) => match.index ?? 0);
  if (starts.length !== files.length) {
    throw new Error(`rpm described ${starts.length} packages out of ${files.length}`);
  }
  const out = new Map<string, RpmReference>();
  files.forEach((file, index) => {
    out.set(
      file,
      parseOne(result.stdout.slice(starts[index], starts[index + 1] ?? result.stdout.length)),
    );
  });
  return out;
}

/** Every .rpm under a folder, sorted. */
export function findPackages(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findPackages(path));
    else if (name.endsWith('.rpm')) out.push(path);
  }
  return out;
}

/** FILEFLAGS bits to entry flags, written from rpm's RPMFILE_* values. */
export function flagsOf(bits: number): string[] {
  const table: [number, string][] = [
    [1, 'config'],
    [16, 'noreplace'],
    [8, 'missingok'],
    [64, 'ghost'],
    [2, 'doc'],
    [128, 'license'],
    [256, 'readme'],
    [4096, 'artifact'],
  ];
  return table.filter(([bit]) => (bits & bit) !== 0).map(([, flag]) => flag);
}

const LABELS: Readonly<Record<string, string>> = {
  rsa: 'RSA',
  dsa: 'DSA',
  eddsa: 'EdDSA',
  ecdsa: 'ECDSA',
};
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A signature as rpm's `:pgpsig` format prints it (`RSA/SHA256, Tue Aug 27 17:26:49 2019, Key ID ...`). */
export function renderPgpsig(summary: RpmSignatureSummary | undefined): string {
  if (summary === undefined) return '(none)';
  if (summary.problem !== undefined) return '(not an OpenPGP signature)';
  const date = new Date((summary.created ?? 0) * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const when =
    `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ${date.getUTCFullYear()}`;
  const algorithm = `${LABELS[summary.publicKeyAlgorithm ?? ''] ?? '?'}/${(summary.hashAlgorithm ?? '').toUpperCase()}`;
  return `${algorithm}, ${when}, Key ID ${(summary.keyId ?? '').toLowerCase()}`;
}

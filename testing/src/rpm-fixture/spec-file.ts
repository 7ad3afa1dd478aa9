import type { RpmEntry, RpmFileFlags, RpmPackageSpec, RpmScript } from './package-spec.ts';

/** The macro `%install` copies the staged tree from; given with `--define` at build time. */
export const STAGED_TREE_MACRO = 'fixture_tree';

/**
 * A path as a `%files` line takes it: quoted, so that spaces stay in the name, and `%` doubled
 * against macro expansion. rpm takes a path without glob patterns literally (`/usr/bin/[`, or a
 * backslash as in systemd's `\x2d` unit names) and globs any other, escaped or not; a name with
 * `*`, `?` or a `[...]` class cannot be listed, and is refused.
 */
export function filesListPath(path: string): string {
  if (/[*?]|\[[^\]]*\]/.test(path)) {
    throw new Error(`${path}: rpm %files cannot list a name rpm would glob`);
  }
  return `"${path.replace(/%/g, '%%')}"`;
}

function octal(mode: number, digits: number): string {
  return (mode & 0o7777).toString(8).padStart(digits, '0');
}

/** rpm's file flags as `%files` directives, in a fixed order. */
function flagDirectives(flags: RpmFileFlags | undefined): string[] {
  if (flags === undefined) return [];
  const directives: string[] = [];
  if (flags.config !== undefined) {
    directives.push(flags.config === 'noreplace' ? '%config(noreplace)' : '%config');
  }
  if (flags.ghost === true) directives.push('%ghost');
  if (flags.license === true) directives.push('%license');
  if (flags.verifyNot !== undefined && flags.verifyNot.length > 0) {
    directives.push(`%verify(not ${flags.verifyNot.join(' ')})`);
  }
  if (flags.caps !== undefined) directives.push(`%caps(${flags.caps})`);
  return directives;
}

/**
 * One `%files` line. Ownership and special mode bits are spelled out with `%attr` (rpmbuild
 * would otherwise take the mode from the staged tree, which is the same), ghosts always, as
 * they have no staged file to take it from.
 */
export function filesLine(entry: RpmEntry): string {
  const parts: string[] = [];
  if (entry.type === 'directory') parts.push('%dir');
  parts.push(...flagDirectives(entry.flags));
  const special =
    (entry.mode & 0o7000) !== 0 ||
    (entry.mode & 0o400) === 0 ||
    entry.user !== 'root' ||
    entry.group !== 'root';
  if (entry.type !== 'symlink' && (special || entry.flags?.ghost === true)) {
    parts.push(`%attr(${octal(entry.mode, 4)},${entry.user},${entry.group})`);
  }
  parts.push(filesListPath(entry.path));
  return parts.join(' ');
}

function scriptSection(script: RpmScript): string {
  const head =
    script.program === undefined ? `%${script.phase}` : `%${script.phase} -p ${script.program}`;
  const body = script.body.replace(/%/g, '%%').trimEnd();
  return body === '' ? head : `${head}\n${body}`;
}

function singleLine(field: string, value: string): string {
  if (/[\n\r]/.test(value)) throw new Error(`${field} must be one line: ${JSON.stringify(value)}`);
  return value.replace(/%/g, '%%');
}

/**
 * The .spec file rpmbuild builds `spec` from: no sources and no build step, an `%install` that
 * copies the staged tree, dependencies written out (`AutoReqProv: no`), the scriptlets, and a
 * `%files` list with every entry in path order.
 */
export function specFileText(spec: RpmPackageSpec): string {
  const header = [
    `Name: ${singleLine('Name', spec.name)}`,
    ...(spec.epoch === undefined ? [] : [`Epoch: ${spec.epoch}`]),
    `Version: ${singleLine('Version', spec.version)}`,
    `Release: ${singleLine('Release', spec.release)}`,
    `Summary: ${singleLine('Summary', spec.summary)}`,
    `License: ${singleLine('License', spec.license)}`,
    `URL: ${singleLine('URL', spec.url)}`,
    ...(spec.arch === 'noarch' ? ['BuildArch: noarch'] : []),
    'AutoReqProv: no',
    ...[...spec.requires].sort().map((name) => `Requires: ${singleLine('Requires', name)}`),
    ...[...spec.provides].sort().map((name) => `Provides: ${singleLine('Provides', name)}`),
  ];
  const entries = [...spec.entries].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  return [
    header.join('\n'),
    `%description\n${spec.description.replace(/%/g, '%%').trimEnd()}`,
    `%install\nmkdir -p %{buildroot}\ncp -a %{${STAGED_TREE_MACRO}}/. %{buildroot}/`,
    ...spec.scripts.map(scriptSection),
    ['%files', '%defattr(-,root,root,-)', ...entries.map(filesLine)].join('\n'),
    '',
  ].join('\n\n');
}

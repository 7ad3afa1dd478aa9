/**
 * Alpine versions for packages made from Debian ones: the numeric part of the upstream version
 * and the Debian revision's leading number as `-r`. `1:3.9.0-4` becomes `3.9.0-r4`,
 * `6.1.192-2` becomes `6.1.192-r2`, `2.4+really2.3-3` becomes `2.3-r3`.
 */
export function alpineVersionOf(debianVersion: string): string {
  const withoutEpoch = debianVersion.replace(/^\d+:/, '');
  const dash = withoutEpoch.lastIndexOf('-');
  let upstream = dash < 0 ? withoutEpoch : withoutEpoch.slice(0, dash);
  const revision = dash < 0 ? '' : withoutEpoch.slice(dash + 1);
  const really = /\+really(.*)$/.exec(upstream);
  if (really?.[1] !== undefined && really[1] !== '') {
    upstream = really[1];
  }
  const numeric = /^\d+(?:\.\d+)*/.exec(upstream)?.[0];
  if (numeric === undefined) {
    throw new Error(`cannot derive an apk version from Debian version ${debianVersion}`);
  }
  const release = /^\d+/.exec(revision)?.[0] ?? '0';
  return `${numeric}-r${Number(release)}`;
}

/** An apk package name for a Debian library package: `libsgutils2-1.46-2` → `debian-libsgutils2`. */
export function libraryPackageName(debianPackage: string): string {
  return `debian-${debianPackage.replace(/-\d.*$/, '')}`;
}

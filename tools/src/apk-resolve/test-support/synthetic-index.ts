/** A package for a synthetic APKINDEX: name, version and optional index fields. */
export interface SyntheticPackage {
  readonly P: string;
  readonly V: string;
  readonly A?: string;
  readonly D?: string;
  readonly p?: string;
  readonly i?: string;
  readonly k?: number;
  readonly r?: string;
}

/** A distinct, well-formed `C:` value for the n-th package (apk merges equal ones). */
function checksumFor(n: number): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(n + 1, 0);
  bytes.write('apk-resolve-test', 4, 'latin1');
  return `Q1${bytes.toString('base64')}`;
}

/** APKINDEX text apk-tools accepts (unsigned, so apk needs --allow-untrusted). */
export function syntheticIndexText(packages: readonly SyntheticPackage[], salt = 0): string {
  return packages
    .map((pkg, n) => {
      const lines = [`C:${checksumFor(n + salt * 1000)}`, `P:${pkg.P}`, `V:${pkg.V}`];
      lines.push(`A:${pkg.A ?? 'x86_64'}`, 'S:1024', 'I:4096', `T:${pkg.P} for tests`);
      if (pkg.k !== undefined) lines.push(`k:${pkg.k}`);
      if (pkg.D !== undefined) lines.push(`D:${pkg.D}`);
      if (pkg.p !== undefined) lines.push(`p:${pkg.p}`);
      if (pkg.i !== undefined) lines.push(`i:${pkg.i}`);
      if (pkg.r !== undefined) lines.push(`r:${pkg.r}`);
      return `${lines.join('\n')}\n\n`;
    })
    .join('');
}

import { readFile } from 'node:fs/promises';

/** A package that differs between two builds, as their reports name it. */
export interface PackageChange {
  readonly name: string;
  readonly a?: string;
  readonly b?: string;
}

interface ReportPackages {
  readonly packages: readonly { readonly name: string; readonly version: string }[];
}

/** The build report written beside an ISO (`<name>.report.json`), when it is there. */
export async function reportBeside(iso: string): Promise<ReportPackages | undefined> {
  const file = iso.replace(/\.iso$/, '.report.json');
  if (file === iso) return undefined;
  try {
    const report = JSON.parse(await readFile(file, 'utf8')) as Partial<ReportPackages>;
    return Array.isArray(report.packages) ? (report as ReportPackages) : undefined;
  } catch {
    return undefined;
  }
}

/** Packages added, removed or at another version, by name. */
export function packageChanges(a: ReportPackages, b: ReportPackages): PackageChange[] {
  const left = new Map(a.packages.map((pkg) => [pkg.name, pkg.version]));
  const right = new Map(b.packages.map((pkg) => [pkg.name, pkg.version]));
  const names = [...new Set([...left.keys(), ...right.keys()])].sort();
  return names.flatMap((name): PackageChange[] => {
    const before = left.get(name);
    const after = right.get(name);
    if (before === after) return [];
    return [
      {
        name,
        ...(before === undefined ? {} : { a: before }),
        ...(after === undefined ? {} : { b: after }),
      },
    ];
  });
}

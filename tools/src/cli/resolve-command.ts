import type { ResolveOptions, VariantSpec } from '@levitate/distro-spec';
import { loadBackend } from '../backend/index.ts';
import type { PackageUniverse, Resolution } from '../backend/index.ts';
import { inStage } from '../core/errors.ts';
import { caseInsensitiveThenCodeUnit } from '../core/text-order.ts';
import type { Reporter } from '../core/step.ts';
import { describeWhy, whyInSet } from '../why/index.ts';
import { stableJson } from './json.ts';
import { loadVariantForCli } from './load-variant.ts';
import { reporterFrom } from './output-settings.ts';
import type { OutputSettings } from './output-settings.ts';
import { packageContext } from './package-context.ts';
import { cacheDirFrom } from './build-options.ts';
import type { RepositoryAccessOptions } from './build-options.ts';

export interface ResolveCommandRequest {
  /** The built-in variant or the `--variant-file`. */
  readonly variant: string;
  readonly resolveOptions: ResolveOptions;
  readonly flags: RepositoryAccessOptions & {
    keys?: string;
    packages?: string;
    json?: boolean;
    /** Explain why this package is in the set instead of listing the set. */
    why?: string;
  };
  readonly output: OutputSettings;
}

/** `resolve`: the variant's package set (or `--packages`) as a table, or as JSON. */
export async function runResolveCommand(request: ResolveCommandRequest): Promise<string> {
  const { flags } = request;
  const spec = await loadVariantForCli(
    request.variant,
    request.resolveOptions,
    cacheDirFrom(flags),
  );
  const wanted = flags.packages
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const report = await runResolve(spec, wanted, flags, reporterFrom(request.output));
  if (flags.why !== undefined) {
    const answer = whyInSet(
      report.graph ?? { roots: [], edges: [] },
      flags.why,
      report.packages.map((pkg) => pkg.name),
    );
    return flags.json === true ? stableJson(answer) : `${describeWhy(answer).join('\n')}\n`;
  }
  return flags.json === true ? stableJson(report) : `${describeResolve(report)}\n`;
}

export interface ResolveReport {
  readonly variant: string;
  readonly family: VariantSpec['family'];
  readonly request: readonly string[];
  readonly repositories: PackageUniverse['repositories'];
  readonly packages: Resolution['packages'];
  readonly warnings: readonly string[];
  readonly graph?: Resolution['graph'];
}

/** Loads the variant's repositories and resolves a package set (the variant's own by default). */
export async function runResolve(
  spec: VariantSpec,
  request: readonly string[] | undefined,
  options: RepositoryAccessOptions & { keys?: string },
  reporter: Reporter,
): Promise<ResolveReport> {
  const backend = await loadBackend(spec.family);
  const context = packageContext(spec, options, reporter);
  const wanted = request ?? spec.packages;
  const universe = await reporter.step('load repositories', () =>
    backend.load(spec.repositories, context),
  );
  const resolution = await reporter.step('resolve', () =>
    inStage('resolve the package set', () => universe.resolve(wanted)),
  );
  return {
    variant: spec.variant,
    family: spec.family,
    request: wanted,
    repositories: universe.repositories,
    packages: [...resolution.packages].sort((a, b) => caseInsensitiveThenCodeUnit(a.name, b.name)),
    warnings: resolution.warnings,
    ...(resolution.graph === undefined ? {} : { graph: resolution.graph }),
  };
}

export function describeResolve(report: ResolveReport): string {
  const rows = report.packages.map((pkg) => [
    pkg.name,
    pkg.version,
    pkg.arch,
    pkg.repository,
    String(pkg.size),
    pkg.reason,
  ]);
  const widths = [0, 1, 2, 3, 4].map((column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length), 4),
  );
  const lines = rows.map((row) =>
    row.map((cell, column) => (column < 5 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  '),
  );
  const total = report.packages.reduce((sum, pkg) => sum + pkg.size, 0);
  return [
    ...lines,
    `${report.packages.length} packages, ${(total / 1048576).toFixed(1)} MiB to download`,
    ...report.warnings.map((warning) => `warning: ${warning}`),
  ].join('\n');
}

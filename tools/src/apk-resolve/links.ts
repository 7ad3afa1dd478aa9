import type { Link, Provider } from './graph.ts';
import { dependencyHolds, formatApkDependency } from './dependency.ts';

/** Whether `link` holds when its name is provided by `provider` (or by nothing). */
export function providerHolds(link: Link, provider: Provider | undefined): boolean {
  return dependencyHolds(link.dep, provider);
}

export function describeLink(link: Link): string {
  return formatApkDependency(link.dep);
}

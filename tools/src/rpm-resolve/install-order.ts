import type { RpmDependency, RpmRepoPackage } from '../rpm-repo/types.ts';
import { TransactionProviders } from './install-providers.ts';
import { addTsortRelation, tsortNode, tsortNodes } from './install-tsort.ts';
import type { TsortNode } from './install-tsort.ts';
import { isRich, parseRich, RichDependencyError } from './rich.ts';
import type { RichDependency } from './rich.ts';

type DependencyKind = 'requires' | 'recommends' | 'suggests' | 'supplements' | 'enhances';

/** The dependencies rpm orders by, in its order; the weak ones never carry a prerequisite. */
const ORDERING: readonly {
  readonly kind: DependencyKind;
  readonly weak: boolean;
  /** The provider depends on the package: it is installed after it. */
  readonly reversed: boolean;
}[] = [
  { kind: 'requires', weak: false, reversed: false },
  { kind: 'recommends', weak: true, reversed: false },
  { kind: 'suggests', weak: true, reversed: false },
  { kind: 'supplements', weak: true, reversed: true },
  { kind: 'enhances', weak: true, reversed: true },
];

/**
 * The plain dependencies a rich one orders by, as rpm reads them: both sides of `and` and
 * `or`, the left of `with` and `without`, the consequence of `if` and `unless` (never the
 * `else` branch).
 */
function orderingTerms(rich: RichDependency): RpmDependency[] {
  switch (rich.op) {
    case 'dep':
      return [rich.dep];
    case 'and':
    case 'or':
      return rich.operands.flatMap(orderingTerms);
    case 'with':
    case 'without':
      return rich.operands[0] === undefined ? [] : orderingTerms(rich.operands[0]);
    default:
      return orderingTerms(rich.then);
  }
}

function plainTerms(dep: RpmDependency): RpmDependency[] {
  if (!isRich(dep.name)) return [dep];
  try {
    return orderingTerms(parseRich(dep.name));
  } catch (error) {
    if (error instanceof RichDependencyError) return [];
    throw error;
  }
}

/**
 * The order rpm 4.18 and 4.19 install a transaction in when its packages are added in the
 * order given (rpmtsOrder, lib/order.c): every package after the packages it requires (after
 * `filesystem`, which lays out /usr and its /lib → usr/lib links, whatever requires it).
 * Relations come from Requires and the weak dependencies (Supplements and Enhances the other
 * way round), each to the one provider rpm would pick. A dependency loop is installed when
 * nothing outside it is left, starting with the member farthest from a Requires(pre) or
 * Requires(post) inside it.
 *
 * Repodata cannot tell everything rpm reads from the headers: Requires(pretrans),
 * Requires(posttrans) and Requires(meta), which rpm does not order by, look like plain
 * Requires; OrderWithRequires is not there; paths outside primary's file list are not
 * looked up; package colours are inferred from `(64bit)` dependencies.
 */
export function rpmInstallOrder(packages: readonly RpmRepoPackage[]): RpmRepoPackage[] {
  const providers = new TransactionProviders(packages);
  const nodes: TsortNode[] = packages.map((_, at) => tsortNode(at));
  packages.forEach((pkg, at) => {
    const node = nodes[at] as TsortNode;
    for (const { kind, weak, reversed } of ORDERING) {
      for (const dep of pkg[kind]) {
        if (dep.name.startsWith('rpmlib(')) continue;
        for (const term of plainTerms(dep)) {
          const provider = providers.providerOf(at, term);
          if (provider === undefined || provider === at) continue;
          const prereq = !weak && dep.pre === true;
          addTsortRelation(node, nodes[provider] as TsortNode, prereq, reversed);
        }
      }
    }
  });
  return tsortNodes(nodes).map((node) => packages[node.position] as RpmRepoPackage);
}

import type { RpmRepoPackage } from '../rpm-repo/types.ts';

/** Who provides what among the packages of one transaction: capability names and files. */
function providerIndex(packages: readonly RpmRepoPackage[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  const add = (key: string, at: number) => {
    const list = index.get(key);
    if (list === undefined) index.set(key, [at]);
    else if (list.at(-1) !== at) list.push(at);
  };
  packages.forEach((pkg, at) => {
    add(pkg.name, at);
    for (const provide of pkg.provides) add(provide.name, at);
    for (const file of pkg.files) add(file, at);
  });
  return index;
}

interface Edges {
  /** For each package, the packages it needs installed first. */
  readonly all: number[][];
  /** The same for Requires(pre): needed by its own install scripts. */
  readonly pre: number[][];
}

function dependencyEdges(packages: readonly RpmRepoPackage[]): Edges {
  const providers = providerIndex(packages);
  const all = packages.map(() => new Set<number>());
  const pre = packages.map(() => new Set<number>());
  packages.forEach((pkg, at) => {
    for (const require of pkg.requires) {
      if (require.name.startsWith('(') || require.name.startsWith('rpmlib(')) continue;
      for (const provider of providers.get(require.name) ?? []) {
        if (provider === at) continue;
        all[at]?.add(provider);
        if (require.pre === true) pre[at]?.add(provider);
      }
    }
  });
  const sorted = (sets: Set<number>[]) => sets.map((set) => [...set].sort((a, b) => a - b));
  return { all: sorted(all), pre: sorted(pre) };
}

/** Strongly connected components (Tarjan), each a dependency loop or a single package. */
function components(count: number, edges: readonly (readonly number[])[]): number[][] {
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const found: number[][] = [];
  let next = 0;
  const visit = (node: number) => {
    index[node] = low[node] = next++;
    stack.push(node);
    onStack[node] = true;
    for (const target of edges[node] ?? []) {
      if (index[target] === -1) {
        visit(target);
        low[node] = Math.min(low[node] ?? 0, low[target] ?? 0);
      } else if (onStack[target] === true) {
        low[node] = Math.min(low[node] ?? 0, index[target] ?? 0);
      }
    }
    if (low[node] === index[node]) {
      const component: number[] = [];
      let member: number | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack[member] = false;
        component.push(member);
      } while (member !== node);
      found.push(component);
    }
  };
  for (let node = 0; node < count; node += 1) if (index[node] === -1) visit(node);
  return found;
}

/**
 * Orders `nodes` so that each comes after what `hard` says it needs. Among the nodes that are
 * ready, the one with the fewest unmet `soft` needs goes first, then by name; what is left in
 * a loop of hard needs goes in the same order, as if its weakest edge were broken.
 */
function orderWithin(
  nodes: readonly number[],
  hard: readonly (readonly number[])[],
  soft: readonly (readonly number[])[],
  nameOf: (node: number) => string,
): number[] {
  const members = new Set(nodes);
  const inside = (edges: readonly (readonly number[])[], node: number) =>
    (edges[node] ?? []).filter((target) => members.has(target));
  const done = new Set<number>();
  const unmet = (edges: readonly (readonly number[])[], node: number) =>
    inside(edges, node).filter((target) => !done.has(target)).length;
  const rank = (a: number, b: number) =>
    unmet(soft, a) - unmet(soft, b) ||
    (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : a - b);
  const order: number[] = [];
  while (order.length < nodes.length) {
    const left = nodes.filter((node) => !done.has(node));
    const ready = left.filter((node) => unmet(hard, node) === 0);
    const pick = (ready.length > 0 ? ready : left).sort(rank)[0];
    if (pick === undefined) break;
    done.add(pick);
    order.push(pick);
  }
  return order;
}

/**
 * The order rpm installs a transaction in: every package after the packages it requires, so
 * that `filesystem` lays out /usr and its /lib → usr/lib links before anything lands there.
 * Dependency loops are installed together, ordered inside by their Requires(pre), as rpm
 * breaks the plain Requires of a loop first, and then by how many of its plain Requires are
 * still to come (setup and filesystem before bash). Ties go by name, so the order is stable.
 */
export function rpmInstallOrder(packages: readonly RpmRepoPackage[]): RpmRepoPackage[] {
  const edges = dependencyEdges(packages);
  const nameOf = (node: number) => packages[node]?.name ?? '';
  const loops = components(packages.length, edges.all);
  const componentOf = new Array<number>(packages.length).fill(0);
  loops.forEach((members, at) => members.forEach((member) => (componentOf[member] = at)));
  const condensed = loops.map((members) => [
    ...new Set(
      members.flatMap((member) =>
        (edges.all[member] ?? [])
          .map((target) => componentOf[target] ?? 0)
          .filter((target) => target !== componentOf[member]),
      ),
    ),
  ]);
  const firstName = (component: number) => (loops[component] ?? []).map(nameOf).sort()[0] ?? '';
  const componentOrder = orderWithin(
    loops.map((_, at) => at),
    condensed,
    [],
    firstName,
  );
  return componentOrder
    .flatMap((component) => orderWithin(loops[component] ?? [], edges.pre, edges.all, nameOf))
    .map((node) => packages[node] as RpmRepoPackage);
}

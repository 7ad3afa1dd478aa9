import { InternalError } from '../core/errors.ts';

/** One side of a "`package` requires `required`" relation, as each end keeps it. */
export interface TsortRelation {
  readonly node: TsortNode;
  /** Needed by the install scripts (Requires(pre), Requires(post)): loops are broken elsewhere. */
  prereq: boolean;
}

/** A package of the transaction while it is being ordered. */
export interface TsortNode {
  /** Position in the transaction, as the packages were added. */
  readonly position: number;
  /** Relations to the packages that require this one, the latest recorded first. */
  readonly requiredBy: TsortRelation[];
  /** Relations to the packages this one requires, the latest recorded first. */
  readonly requires: TsortRelation[];
  /** Required packages not yet ordered. */
  waiting: number;
  /**
   * How many packages require this one: the queue puts the most required first. Counted once,
   * when the relations are recorded.
   */
  requiredByCount: number;
  /** 0 once ordered, 1 outside any loop, 2 and up the loop it belongs to. */
  loop: number;
  /** In a loop: the distance from a package with a script prerequisite. */
  distance: number;
  /** The next package in the queue it is on. */
  next: TsortNode | undefined;
}

export function tsortNode(position: number): TsortNode {
  return {
    position,
    requiredBy: [],
    requires: [],
    waiting: 0,
    requiredByCount: 0,
    loop: 1,
    distance: 0,
    next: undefined,
  };
}

/**
 * Records that `node` requires `required`, or with `reversed` (Supplements, Enhances) that
 * `required` requires `node`. A second relation between the same two packages only adds its
 * prerequisite flag, when rpm would notice it: when it is the latest recorded on the side that
 * is looked at, which holds for the dependencies of one package read in a row.
 */
export function addTsortRelation(
  node: TsortNode,
  required: TsortNode,
  prereq: boolean,
  reversed: boolean,
): void {
  const [from, to] = reversed ? [required, node] : [node, required];
  const latest = reversed ? to.requires[0] : to.requiredBy[0];
  if (latest?.node === from) {
    latest.prereq ||= prereq;
    const other = (reversed ? from.requiredBy : from.requires).find((rel) => rel.node === to);
    if (other === undefined) throw new InternalError('install order: a relation lost its pair');
    other.prereq ||= prereq;
    return;
  }
  from.waiting += 1;
  to.requiredBy.unshift({ node: from, prereq });
  to.requiredByCount += 1;
  from.requires.unshift({ node: to, prereq });
}

/** Where a queue starts or ends: the head of a queue, or the `next` of a queued package. */
interface Slot {
  get(): TsortNode | undefined;
  set(node: TsortNode | undefined): void;
}

function variableSlot(initial?: TsortNode): Slot {
  let value = initial;
  return {
    get: () => value,
    set: (node) => {
      value = node;
    },
  };
}

function nextSlot(node: TsortNode): Slot {
  return {
    get: () => node.next,
    set: (next) => {
      node.next = next;
    },
  };
}

/**
 * Queues `node` after `head` and before the first queued package that fewer or as many packages
 * require. `tail` is only asked whether anything was ever queued.
 */
function enqueue(node: TsortNode, head: Slot, tail: Slot): void {
  if (tail.get() === undefined) {
    tail.set(node);
    head.set(node);
    return;
  }
  let previous: TsortNode | undefined;
  let current = head.get();
  while (current !== undefined && current.requiredByCount > node.requiredByCount) {
    previous = current;
    current = current.next;
  }
  if (previous === undefined) {
    node.next = current;
    head.set(node);
  } else if (current === undefined) {
    previous.next = node;
    tail.set(node);
  } else {
    node.next = current;
    previous.next = node;
  }
}

interface Loop {
  /** Relations from outside the loop to its members not yet ordered. */
  waiting: number;
  /** Members, the one the search entered by first. */
  readonly members: readonly TsortNode[];
}

/**
 * The dependency loops (Tarjan's strongly connected components, searched along `requiredBy`
 * from each package in transaction order). Members of a loop get its number, from 2 on; the
 * returned array is indexed by that number.
 */
function findLoops(nodes: readonly TsortNode[]): Loop[] {
  const loops: Loop[] = [];
  const index = new Map<TsortNode, number>();
  const low = new Map<TsortNode, number>();
  const stack: TsortNode[] = [];
  const done = new Set<TsortNode>();
  const visit = (node: TsortNode) => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const { node: next } of node.requiredBy) {
      if (done.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const start = stack.lastIndexOf(node);
    const members = stack.splice(start);
    for (const member of members) done.add(member);
    if (members.length === 1) return;
    const number = Math.max(loops.length, 2);
    for (const member of members) member.loop = number;
    let waiting = 0;
    for (const member of members) {
      waiting += member.waiting;
      for (const { node: next } of member.requiredBy) {
        if (next !== member && next.loop === number) waiting -= 1;
      }
    }
    loops[number] = { waiting, members };
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return loops;
}

const UNREACHED = 2 ** 31 - 1;
const SELF_PREREQ = Math.floor(UNREACHED / 2);

/**
 * Each member's distance, along what it requires, from the members whose scripts need another
 * member: the relations worth keeping. The farthest member is installed first.
 */
function measureLoop(loop: Loop, number: number): void {
  const queue: TsortNode[] = [];
  for (const member of loop.members) {
    member.distance = UNREACHED;
    const prereq = member.requires.find((rel) => rel.prereq && rel.node.loop === number);
    if (prereq === undefined) continue;
    if (prereq.node === member) {
      member.distance = SELF_PREREQ;
    } else {
      member.distance = 0;
      queue.push(member);
    }
  }
  if (queue.length === 0) {
    queue.push(...loop.members.filter((member) => member.distance !== UNREACHED));
  }
  for (let at = 0; at < queue.length; at += 1) {
    const member = queue[at] as TsortNode;
    for (const { node } of member.requires) {
      if (node.loop !== number || node.distance <= member.distance + 1) continue;
      node.distance = member.distance + 1;
      queue.push(node);
    }
  }
}

class Tsort {
  readonly order: TsortNode[] = [];

  constructor(private readonly loops: readonly Loop[]) {}

  /** Orders `node` and queues what it frees: inside its loop after it, else on `outer`. */
  collect(node: TsortNode, tail: Slot, outer?: { head: Slot; tail: Slot }): void {
    this.order.push(node);
    for (const { node: dependent } of node.requiredBy) {
      if (dependent.loop === 0 || dependent === node) continue;
      dependent.waiting -= 1;
      if (dependent.waiting === 0) {
        if (node.loop > 1 && node.loop !== dependent.loop) {
          if (outer === undefined) throw new InternalError('install order: no outer queue');
          enqueue(dependent, outer.head, outer.tail);
        } else {
          enqueue(dependent, nextSlot(node), tail);
        }
      }
      const loop = this.loops[dependent.loop];
      if (dependent.loop > 1 && dependent.loop !== node.loop && loop !== undefined) {
        loop.waiting -= 1;
        if (loop.waiting === 0) {
          if (outer !== undefined) enqueue(dependent, outer.head, outer.tail);
          else enqueue(dependent, nextSlot(node), tail);
        }
      }
    }
    node.loop = 0;
  }

  /**
   * Orders the loop `entry` belongs to: the member farthest from the script prerequisites
   * first, with what that frees, and again until every member is ordered.
   */
  collectLoop(entry: TsortNode, tail: Slot): void {
    const number = entry.loop;
    const loop = this.loops[number];
    if (loop === undefined) throw new InternalError(`install order: no loop ${number}`);
    const outer = { head: variableSlot(entry.next), tail };
    entry.next = undefined;
    measureLoop(loop, number);
    for (;;) {
      let best: TsortNode | undefined;
      for (const member of loop.members) {
        if (member.loop !== 0 && member.distance >= (best?.distance ?? 0)) best = member;
      }
      if (best === undefined) break;
      const inner = { head: variableSlot(), tail: variableSlot() };
      enqueue(best, inner.head, inner.tail);
      for (let node = inner.head.get(); node !== undefined; node = node.next) {
        this.collect(node, inner.tail, outer);
      }
    }
    entry.next = outer.head.get();
  }
}

/**
 * rpm's transaction order (rpmtsOrder of rpm 4.18 and 4.19, lib/order.c) over recorded
 * relations. Packages nothing holds back are queued, the most required first (ties: the one
 * queued later first); ordering a package queues right after it what it frees. A dependency
 * loop is ordered as one package when nothing outside it is left: its members farthest from a
 * script prerequisite first.
 */
export function tsortNodes(nodes: readonly TsortNode[]): TsortNode[] {
  const loops = findLoops(nodes);
  const sort = new Tsort(loops);
  const head = variableSlot();
  const tail = variableSlot();
  for (const node of nodes) {
    if (node.waiting !== 0) continue;
    node.next = undefined;
    enqueue(node, head, tail);
  }
  for (const loop of loops) {
    const first = loop?.members[0];
    if (loop !== undefined && first !== undefined && loop.waiting === 0) {
      enqueue(first, head, tail);
    }
  }
  for (let node = head.get(); node !== undefined; node = node.next) {
    if (node.loop > 1) sort.collectLoop(node, tail);
    else sort.collect(node, tail);
  }
  if (sort.order.length !== nodes.length || new Set(sort.order).size !== nodes.length) {
    throw new InternalError(
      `install order: ${sort.order.length} packages ordered out of ${nodes.length}`,
    );
  }
  return sort.order;
}

/**
 * The two orders that decide apk's choices: which unsettled name to settle next, and which of
 * a name's providers wins.
 */

import type { NameNode, Provider } from './graph.ts';
import { VERSION_GREATER, VERSION_LESS, compareOptionalVersions } from './version.ts';

/** Negative when `a` should be settled before `b`. */
function settleOrder(a: NameNode, b: NameNode): number {
  if (a.providerMix !== b.providerMix) {
    return a.providerMix - b.providerMix;
  }
  if (a.longestChain !== b.longestChain) {
    return b.longestChain - a.longestChain;
  }
  return Number(b.requirers > 0) - Number(a.requirers > 0);
}

/**
 * The next name to settle: a required name with one possible provider whose dependents are all
 * settled, at once; otherwise real names before provided ones, then the longest dependency
 * chain, then required names before install_if ones; ties go to the name queued last.
 */
export function pickNextName(unresolved: readonly NameNode[]): NameNode | undefined {
  let best: NameNode | undefined;
  for (let i = unresolved.length - 1; i >= 0; i--) {
    const node = unresolved[i];
    if (node === undefined) {
      continue;
    }
    if (node.reverseDepsDone && node.requirers > 0 && !node.hasOptions) {
      return node;
    }
    if (best === undefined || settleOrder(node, best) < 0) {
      best = node;
    }
  }
  return best;
}

function sign(value: number): number {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

/** Positive when `a` is the better provider. */
function compareProviders(a: Provider, b: Provider): number {
  const pa = a.pkg;
  const pb = b.pkg;
  const steps = [
    Number(pa.selectable) - Number(pb.selectable),
    Number(pa.dependenciesUsed) - Number(pb.dependenciesUsed),
    pb.conflicts - pa.conflicts,
    sign(pa.priority - pb.priority),
  ];
  for (const step of steps) {
    if (step !== 0) {
      return step;
    }
  }
  const byName = compareOptionalVersions(a.version, b.version);
  if (byName === VERSION_LESS || byName === VERSION_GREATER) {
    return byName === VERSION_GREATER ? 1 : -1;
  }
  if (pa.node === pb.node) {
    const byPackage = compareOptionalVersions(pa.record.version, pb.record.version);
    if (byPackage === VERSION_LESS || byPackage === VERSION_GREATER) {
      return byPackage === VERSION_GREATER ? 1 : -1;
    }
  }
  const priority = (pa.record.providerPriority ?? 0) - (pb.record.providerPriority ?? 0);
  if (priority !== 0) {
    return priority;
  }
  return pb.firstRepo - pa.firstRepo;
}

/**
 * Whether `a` beats the provider chosen so far: the package still possible, then the higher
 * repository priority, then the highest version of the name asked for, then the highest
 * version of the package itself, then the highest provider_priority (`k:`), then the earlier
 * repository; on a full tie the first listed stays.
 */
export function preferProvider(a: Provider, current: Provider | undefined): boolean {
  return current === undefined || compareProviders(a, current) > 0;
}

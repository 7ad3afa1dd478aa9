import { RpmResolveError } from './errors.ts';
import type { Pool } from './pool.ts';
import type { Rule } from './rules.ts';
import type { SatState } from './sat.ts';
import { DECIDED } from './sat.ts';
import type { Job } from './solver.ts';

/** The original rules (learnt ones expanded) that together make `conflict` unsatisfiable. */
export function involvedRules(sat: SatState, conflict: number): number[] {
  const seen = new Set<number>();
  const queue = [conflict];
  for (let index = queue.pop(); index !== undefined; index = queue.pop()) {
    if (seen.has(index)) continue;
    seen.add(index);
    const rule = sat.rule(index);
    queue.push(...(rule.sources ?? []));
    for (const literal of rule.literals) {
      const reason = sat.reasonOf[Math.abs(literal)] ?? DECIDED;
      if (reason !== DECIDED && sat.truth(literal) === -1) queue.push(reason);
    }
  }
  return [...seen].filter((index) => sat.rule(index).kind !== 'learnt').sort((a, b) => a - b);
}

const REQUESTED = 'requested';

/** Explains unsatisfiable rules: what is missing or conflicting, and who wanted it. */
export function problemError(
  pool: Pool,
  sat: SatState,
  involved: readonly number[],
  jobs: readonly Job[],
): RpmResolveError {
  const rules = involved.map((index) => sat.rule(index));
  const parents = new Map<number, number | string>();
  for (const rule of rules) {
    if (rule.kind !== 'job') continue;
    for (const literal of rule.literals) if (literal > 0) parents.set(literal, REQUESTED);
  }
  for (const rule of rules) {
    if (rule.kind !== 'requires' || rule.owner === undefined) continue;
    for (const literal of rule.literals) {
      if (literal > 0 && !parents.has(literal)) parents.set(literal, rule.owner);
    }
  }
  const name = (id: number) => pool.get(id).pkg.name;
  const nevra = (id: number | undefined) => (id === undefined ? '?' : pool.get(id).nevra);
  const chain = (id: number | undefined): string => {
    if (id === undefined) return '';
    const names = [name(id)];
    const visited = new Set([id]);
    for (let parent = parents.get(id); parent !== undefined;) {
      if (typeof parent === 'string') {
        names.push(parent);
        break;
      }
      if (visited.has(parent)) break;
      visited.add(parent);
      names.push(name(parent));
      parent = parents.get(parent);
    }
    return names.join(' <- ');
  };
  const describe = (rule: Rule): string | undefined => {
    const owner = rule.owner;
    switch (rule.kind) {
      case 'nothing-provides':
        return `nothing provides ${rule.dep} needed by ${nevra(owner)} (wanted by: ${chain(owner)})`;
      case 'conflicts':
      case 'obsoletes': {
        const verb = rule.kind === 'conflicts' ? 'conflicts with' : 'obsoletes';
        const other = rule.other === undefined ? '' : ` provided by ${nevra(rule.other)}`;
        const wanted = [chain(owner), chain(rule.other)].filter((text) => text !== '').join('; ');
        return `${nevra(owner)} ${verb} ${rule.dep}${other} (wanted by: ${wanted})`;
      }
      case 'same-name':
        return `cannot install both ${nevra(owner)} and ${nevra(rule.other)} (wanted by: ${chain(owner)}; ${chain(rule.other)})`;
      default:
        return undefined;
    }
  };
  const order: Rule['kind'][] = ['nothing-provides', 'conflicts', 'obsoletes', 'same-name'];
  for (const kind of order) {
    const problems = rules.filter((rule) => rule.kind === kind).map(describe);
    const [first, ...more] = problems.filter((text): text is string => text !== undefined);
    if (first === undefined) continue;
    const message = [first, ...more.slice(0, 4).map((text) => `  also: ${text}`)].join('\n');
    if (kind === 'nothing-provides') {
      return new RpmResolveError('rpm-nothing-provides', message, {
        hint: 'enable the repository that provides it, or leave out the package that needs it',
      });
    }
    return new RpmResolveError('rpm-conflict', message, {
      hint: 'these packages cannot be installed together: drop one of the requests or ask for another provider',
    });
  }
  const requests = rules
    .filter((rule) => rule.kind === 'job' && rule.job !== undefined)
    .map((rule) => jobs[rule.job as number]?.request ?? '?');
  return new RpmResolveError(
    'rpm-unresolvable',
    `cannot resolve ${requests.length > 0 ? requests.join(', ') : 'the requests'}: the dependencies contradict each other`,
  );
}

import type { CompsGroup, RpmDependency } from '../rpm-repo/types.ts';
import { comparisonOf, versionedDependency } from '../rpm-repo/dependency-text.ts';
import { RpmResolveError } from './errors.ts';
import type { Pool } from './pool.ts';
import { parseRich } from './rich.ts';
import { richClauses } from './rich-logic.ts';
import type { Job } from './solver.ts';
import { parseEvr } from './vercmp.ts';

/** Requests turned into jobs, plus what was skipped on the way. */
export interface Jobs {
  readonly jobs: Job[];
  readonly warnings: string[];
}

interface NevraForm {
  readonly name: string;
  readonly arch?: string;
  readonly evr?: string;
  readonly withRelease?: boolean;
}

function splitNevr(text: string): { name: string; evr: string } | undefined {
  const last = text.lastIndexOf('-');
  const previous = last > 0 ? text.lastIndexOf('-', last - 1) : -1;
  if (previous <= 0) return undefined;
  return { name: text.slice(0, previous), evr: text.slice(previous + 1) };
}

/** The readings of a package spec dnf tries, in its order: NEVRA, NA, NAME, NEVR, NEV. */
function nevraForms(spec: string): NevraForm[] {
  const forms: NevraForm[] = [];
  const dot = spec.lastIndexOf('.');
  if (dot > 0) {
    const head = spec.slice(0, dot);
    const arch = spec.slice(dot + 1);
    const nevr = splitNevr(head);
    if (nevr !== undefined) forms.push({ ...nevr, arch, withRelease: true });
    forms.push({ name: head, arch });
  }
  forms.push({ name: spec });
  const nevr = splitNevr(spec);
  if (nevr !== undefined) forms.push({ ...nevr, withRelease: true });
  const dash = spec.lastIndexOf('-');
  if (dash > 0) forms.push({ name: spec.slice(0, dash), evr: spec.slice(dash + 1) });
  return forms;
}

function formMatches(pool: Pool, id: number, form: NevraForm): boolean {
  const { arch, evr } = pool.get(id).pkg;
  if (form.arch !== undefined && arch !== form.arch) return false;
  if (form.evr === undefined) return true;
  const wanted = parseEvr(form.evr);
  if (/^\d*:/.test(form.evr) && wanted.epoch !== evr.epoch) return false;
  if (form.withRelease !== true) return wanted.version === evr.version;
  return wanted.version === evr.version && wanted.release === evr.release;
}

/** Packages matching `name`, `name.arch`, `name-version[-release][.arch]`, in dnf's order. */
function matchNevra(pool: Pool, spec: string): { ids: number[]; nameOnly: boolean } | undefined {
  for (const form of nevraForms(spec)) {
    const ids = pool.named(form.name).filter((id) => formMatches(pool, id, form));
    if (ids.length > 0) {
      return { ids, nameOnly: form.arch === undefined && form.evr === undefined };
    }
  }
  return undefined;
}

/** Packages obsoleting any of `ids` (dnf installs those instead of an obsoleted request). */
function obsoleters(pool: Pool, ids: readonly number[]): number[] {
  return ids.flatMap((id) => pool.obsoletersOf(id));
}

function dependencyOf(spec: string): RpmDependency {
  const [name = spec, operator, evrText] = spec.trim().split(/\s+/);
  const flags = operator === undefined ? undefined : comparisonOf(operator);
  if (flags === undefined || evrText === undefined) return { name };
  return versionedDependency(name, flags, evrText);
}

/** Candidates for one package request, as `dnf install` would select them. */
export function packageCandidates(pool: Pool, spec: string): number[] | undefined {
  if (!spec.startsWith('/')) {
    const match = matchNevra(pool, spec);
    if (match !== undefined) {
      const extra = match.nameOnly ? obsoleters(pool, match.ids) : [];
      return [...new Set([...match.ids, ...extra])].sort((a, b) => a - b);
    }
  }
  const providers = pool.whatProvides(dependencyOf(spec));
  return providers.length > 0 ? [...providers] : undefined;
}

/** The groups of an environment, or the group, with this id (or, ignoring case, name). */
function findGroups(pool: Pool, id: string): CompsGroup[] | undefined {
  const comps = pool.repositories.flatMap((repo) => (repo.comps ? [repo.comps] : []));
  const allGroups = comps.flatMap((entry) => entry.groups);
  const lower = id.toLowerCase();
  for (const entry of comps) {
    const environment =
      entry.environments.find((env) => env.id === id) ??
      entry.environments.find((env) => env.name.toLowerCase() === lower);
    if (environment !== undefined) {
      const groups = environment.groups.flatMap((groupId) => {
        const group = allGroups.find((candidate) => candidate.id === groupId);
        return group ? [group] : [];
      });
      return groups;
    }
  }
  const group =
    allGroups.find((candidate) => candidate.id === id) ??
    allGroups.find((candidate) => candidate.name.toLowerCase() === lower);
  return group === undefined ? undefined : [group];
}

/**
 * Groups are merged from every repository's comps, so one whose comps could not be read
 * leaves any group incomplete: a group request fails, naming that repository and its file.
 */
function requireComps(pool: Pool, request: string): void {
  const unreadable = pool.repositories.find((repo) => repo.compsProblem !== undefined);
  const problem = unreadable?.compsProblem;
  if (problem === undefined) return;
  throw new RpmResolveError(
    'rpm-groups-unavailable',
    `${request} needs the groups of every repository, but they cannot be read: ${problem.message}`,
    {
      hint: `${problem.hint ?? 'fix the repository'}; or request the packages by name`,
      cause: problem,
    },
  );
}

function groupJobs(pool: Pool, request: string, result: Jobs): void {
  requireComps(pool, request);
  const found = findGroups(pool, request.slice(1));
  if (found === undefined) {
    throw new RpmResolveError(
      'rpm-unknown-group',
      `no group or environment ${request} in the repositories`,
      {
        hint: 'group and environment ids are listed in the repositories\u2019 comps.xml',
      },
    );
  }
  const atoms = { providers: (dep: RpmDependency) => pool.whatProvides(dep) };
  for (const group of found) {
    for (const name of [...group.mandatory, ...group.default]) {
      const ids = pool.named(name);
      if (ids.length === 0) {
        result.warnings.push(`no package ${name} for ${request} (group ${group.id})`);
        continue;
      }
      const candidates = [...new Set([...ids, ...obsoleters(pool, ids)])].sort((a, b) => a - b);
      result.jobs.push({ request: `${name} (${request})`, clauses: [candidates] });
    }
    for (const conditional of group.conditional) {
      if (pool.named(conditional.name).length === 0) {
        result.warnings.push(`no package ${conditional.name} for ${request} (group ${group.id})`);
        continue;
      }
      const rich = parseRich(`(${conditional.name} if ${conditional.requires})`);
      const clauses = richClauses(rich, atoms);
      result.jobs.push({ request: `${conditional.name} (${request})`, clauses });
    }
  }
}

/**
 * Turns requests into jobs: `@group` or `@environment` ids (or names) from comps, package
 * names, `name.arch`, `name-version[-release]`, capabilities (`libc.so.6()(64bit)`,
 * `foo >= 1.2`) and paths.
 */
export function requestJobs(pool: Pool, requests: readonly string[]): Jobs {
  const result: Jobs = { jobs: [], warnings: [] };
  for (const request of requests) {
    if (request.startsWith('@')) {
      groupJobs(pool, request, result);
      continue;
    }
    const candidates = packageCandidates(pool, request);
    if (candidates === undefined) {
      throw new RpmResolveError('rpm-no-match', `no package matches ${JSON.stringify(request)}`, {
        hint: 'check the spelling, the architecture and that the right repositories are enabled',
      });
    }
    result.jobs.push({ request, clauses: [candidates] });
  }
  return result;
}

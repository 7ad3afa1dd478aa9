import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { loadRpmRepository, localRepoSource } from '../rpm-repo/index.ts';
import type { RpmRepository } from '../rpm-repo/index.ts';
import { RpmResolveError } from './errors.ts';
import { resolveRpm } from './resolve.ts';
import { DNF_ON_BUILT_REPOSITORIES, dnfInstallPlan } from './test-support/dnf-reference.ts';
import type { DnfPlan } from './test-support/dnf-reference.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { buildSyntheticRepo } from './test-support/synthetic-repo.ts';
import type { SyntheticPackage } from './test-support/synthetic-repo.ts';

/** Small repositories where each policy rule decides the outcome, checked against dnf. */
const PACKAGES: readonly SyntheticPackage[] = [
  // Different providers: the first by name, not the one named like the capability.
  { name: 'mailer-app', tags: ['Requires: sendmail'] },
  { name: 'exim', tags: ['Provides: sendmail'] },
  { name: 'sendmail' },
  // An alternative that ends up installed anyway replaces the first choice.
  { name: 'editor-app', tags: ['Requires: editor', 'Recommends: vim-plugin'] },
  { name: 'emacs', tags: ['Provides: editor'] },
  { name: 'vim', tags: ['Provides: editor'] },
  { name: 'vim-plugin', tags: ['Requires: vim'] },
  // The first provider by name conflicts with what the other requirement needs.
  { name: 'net-app', tags: ['Requires: netlib', 'Requires: backend'] },
  { name: 'aa-net', tags: ['Provides: netlib', 'Conflicts: be-x', 'Conflicts: be-y'] },
  { name: 'zz-net', tags: ['Provides: netlib'] },
  { name: 'be-x', tags: ['Provides: backend'] },
  { name: 'be-y', tags: ['Provides: backend'] },
  // Only the third choice shows that the first two do not go together: learnt, then revised.
  { name: 'bt-app', tags: ['Requires: bt-a', 'Requires: bt-b', 'Requires: bt-c'] },
  { name: 'bt-a1', tags: ['Provides: bt-a'] },
  { name: 'bt-a2', tags: ['Provides: bt-a'] },
  { name: 'bt-b1', tags: ['Provides: bt-b'] },
  { name: 'bt-b2', tags: ['Provides: bt-b'] },
  { name: 'bt-c1', tags: ['Provides: bt-c', 'Conflicts: bt-a1'] },
  { name: 'bt-c2', tags: ['Provides: bt-c', 'Conflicts: bt-b1'] },
  // A renamed package obsoletes its old name.
  { name: 'oldname' },
  { name: 'newname', version: '2', tags: ['Obsoletes: oldname < 2', 'Provides: oldname = 2'] },
  // Supplements, plain and rich.
  { name: 'docs-for-app', tags: ['Supplements: net-app'] },
  { name: 'lang-for-app', tags: ['Supplements: (net-app and zz-net)'] },
  { name: 'lang-never', tags: ['Supplements: (net-app and sendmail)'] },
  // Rich requirements.
  {
    name: 'rich-app',
    tags: ['Requires: (rich-b1 or rich-b2)', 'Requires: (rich-sel if rich-pol)'],
  },
  { name: 'rich-b1' },
  { name: 'rich-b2' },
  { name: 'rich-sel' },
  { name: 'rich-pol' },
  // rpm allows `unless` only in conflicts: unless-a alone conflicts, unless-b lifts that.
  { name: 'unless-app', tags: ['Conflicts: (unless-a unless unless-b)'] },
  { name: 'unless-a' },
  { name: 'unless-b' },
  // Suggested providers come first; so does the highest version of a shared capability.
  { name: 'sug-app', tags: ['Requires: sug-cap', 'Suggests: sug-z'] },
  { name: 'sug-a', tags: ['Provides: sug-cap'] },
  { name: 'sug-z', tags: ['Provides: sug-cap'] },
  { name: 'py-app', tags: ['Requires: pyx'] },
  { name: 'pynew', tags: ['Provides: pyx = 3.9'] },
  { name: 'pyold', tags: ['Provides: pyx = 3.11'] },
  // A recommendation that cannot be installed is skipped; a requirement is not.
  { name: 'weak-app', tags: ['Recommends: weak-broken'] },
  { name: 'weak-broken', tags: ['Requires: not-anywhere'] },
  { name: 'broken-app', tags: ['Requires: weak-broken'] },
];

const SETS: readonly (readonly string[])[] = [
  ['mailer-app'],
  ['sendmail'],
  ['editor-app'],
  ['net-app'],
  ['bt-app'],
  ['oldname'],
  ['rich-app'],
  ['rich-app', 'rich-pol'],
  ['unless-app', 'unless-a'],
  ['sug-app'],
  ['py-app'],
  ['weak-app'],
  ['broken-app'],
];

describeWithReference(
  DNF_ON_BUILT_REPOSITORIES,
  'the same choices as dnf 4 in synthetic repositories',
  () => {
    const plans = new Map<string, DnfPlan>();
    let work = '';
    let repo: RpmRepository;

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'rpm-resolve-synthetic-'));
      const runner = createRunner();
      const dir = await buildSyntheticRepo(runner, work, PACKAGES);
      repo = await loadRpmRepository(localRepoSource(dir), {
        name: 'syn',
        priority: 99,
        requireSignature: false,
      });
      for (const set of SETS) {
        const plan = await dnfInstallPlan(runner, dir, set, { arch: 'x86_64', releasever: '9' });
        plans.set(set.join(' '), plan);
      }
    }, 120_000);

    afterAll(async () => {
      if (work !== '') await rm(work, { recursive: true, force: true });
    });

    it.each(SETS.map((set) => [set.join(' '), set] as const))('%s', async (name, set) => {
      const plan = plans.get(name);
      const outcome = await resolveRpm([repo], set, { arch: 'x86_64' }).then(
        (result) => result.packages.map((p) => p.name).sort(),
        (error: unknown) => error,
      );
      if (plan?.ok !== true) {
        expect(outcome).toBeInstanceOf(RpmResolveError);
        return;
      }
      expect(outcome).toEqual(plan.packages.map((p) => p.name).sort());
    });
  },
);

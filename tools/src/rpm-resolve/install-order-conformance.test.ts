/**
 * rpmInstallOrder against the order rpm itself gives the same transaction (`rpm -i --test -vv`
 * in a scratch root): small repositories built with rpmbuild where each rule of rpm's tsort
 * decides, and the LevitateOS package set of the fixture RPM repository as the build resolves
 * it. Debian's rpm is 4.18; Rocky Linux 10's is 4.19, whose lib/order.c is the same.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import { createRunner } from '../core/run.ts';
import { loadRpmRepository, localRepoSource } from '../rpm-repo/index.ts';
import type { RpmRepoPackage, RpmRepository } from '../rpm-repo/index.ts';
import { builtOutput, hostTool, reference } from '../test-support/reference.ts';
import { describeWithReference, itWithReference } from '../test-support/reference-suite.ts';
import { RPM_FIXTURE_DIR, rockyRepositoryDir } from '../workspace/fixture-repositories.ts';
import { formatNevra } from './dependency.ts';
import { rpmInstallOrder } from './install-order.ts';
import { resolveRpm } from './resolve.ts';
import { rpmTransactionOrder } from './test-support/rpm-order.ts';
import { buildSyntheticRepo } from './test-support/synthetic-repo.ts';
import type { SyntheticPackage } from './test-support/synthetic-repo.ts';

const runner = createRunner();
const RPM = hostTool('rpm');

/** Transactions of synthetic packages, each named for the rule that decides its order. */
const TRANSACTIONS: Readonly<Record<string, readonly SyntheticPackage[]>> = {
  'a chain, the most required first among the ready': [
    { name: 'chain-app', tags: ['Requires: chain-lib', 'Requires: chain-util'] },
    { name: 'chain-lib', tags: ['Requires: chain-base'] },
    { name: 'chain-util', tags: ['Requires: chain-base', 'Requires: chain-data'] },
    { name: 'chain-tool', tags: ['Requires: chain-data'] },
    { name: 'chain-base' },
    { name: 'chain-data' },
    { name: 'chain-leaf' },
  ],
  'a loop without script prerequisites': [
    { name: 'plain-app', tags: ['Requires: plain-zlib'] },
    { name: 'plain-zlib', tags: ['Requires: plain-glibc'] },
    { name: 'plain-glibc', tags: ['Requires: plain-common'] },
    { name: 'plain-common', tags: ['Requires: plain-glibc'] },
  ],
  'a loop broken away from its Requires(pre)': [
    { name: 'pre-glibc', tags: ['Requires: pre-common'] },
    { name: 'pre-common', tags: ['Requires(pre): pre-glibc'] },
    { name: 'pre-bash', tags: ['Requires: pre-glibc', 'Requires(post): pre-common'] },
    { name: 'pre-setup', tags: ['Requires(pre): pre-bash'] },
    { name: 'pre-filesystem', tags: ['Requires(pre): pre-setup', 'Requires: pre-setup'] },
    { name: 'pre-base', tags: ['Requires: pre-filesystem', 'Requires: pre-setup'] },
    { name: 'pre-glibc-more', tags: ['Requires: pre-base', 'Provides: pre-glibc-extra'] },
    { name: 'pre-user', tags: ['Requires: pre-glibc-extra', 'Requires: pre-glibc'] },
    { name: 'pre-ring', tags: ['Requires: pre-user', 'Requires: pre-glibc-more'] },
    { name: 'pre-ring2', tags: ['Requires: pre-ring', 'Requires(post): pre-glibc-more'] },
    { name: 'pre-ring3', tags: ['Requires: pre-ring2', 'Requires: pre-ring'] },
  ],
  'two loops, one needing the other': [
    { name: 'outer-a', tags: ['Requires: outer-b', 'Requires: inner-a'] },
    { name: 'outer-b', tags: ['Requires: outer-a'] },
    { name: 'inner-a', tags: ['Requires: inner-b'] },
    { name: 'inner-b', tags: ['Requires: inner-c'] },
    { name: 'inner-c', tags: ['Requires(pre): inner-a'] },
    { name: 'outer-user', tags: ['Requires: outer-b', 'Requires: inner-c'] },
    { name: 'lone', tags: ['Requires: inner-b'] },
  ],
  'weak dependencies, Supplements and Enhances the other way round': [
    { name: 'weak-app', tags: ['Recommends: weak-helper', 'Suggests: weak-extra'] },
    { name: 'weak-helper', tags: ['Requires: weak-lib'] },
    { name: 'weak-extra' },
    { name: 'weak-lib' },
    { name: 'weak-docs', tags: ['Supplements: weak-app'] },
    { name: 'weak-plugin', tags: ['Enhances: weak-helper', 'Requires: weak-extra'] },
  ],
  'rich dependencies': [
    { name: 'rich-app', tags: ['Requires: (rich-a or rich-b)', 'Requires: (rich-c if rich-d)'] },
    {
      name: 'rich-tool',
      tags: ['Requires: (rich-e with rich-f)', 'Requires: (rich-g and rich-h)'],
    },
    { name: 'rich-a' },
    { name: 'rich-b' },
    { name: 'rich-c' },
    { name: 'rich-d', tags: ['Requires: (rich-h if rich-a else rich-c)'] },
    { name: 'rich-e' },
    { name: 'rich-f' },
    { name: 'rich-g' },
    { name: 'rich-h', tags: ['Requires: (rich-x if rich-y else rich-f)'] },
  ],
  'one provider of several': [
    { name: 'mta-user', tags: ['Requires: mta', 'Requires: mta-api >= 2'] },
    { name: 'mta-exim', tags: ['Provides: mta', 'Provides: mta-api = 1'] },
    { name: 'mta-postfix', tags: ['Provides: mta', 'Provides: mta-api = 2'] },
    { name: 'mta-self', tags: ['Provides: mta', 'Requires: mta'] },
  ],
};

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let at = out.length - 1; at > 0; at -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (at + 1);
    [out[at], out[other]] = [out[other] as T, out[at] as T];
  }
  return out;
}

/** The same packages in the orders a transaction may add them. */
function additionOrders(packages: readonly RpmRepoPackage[]) {
  const byName = [...packages].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [
    { label: 'by name', packages: byName },
    { label: 'reversed', packages: [...byName].reverse() },
    ...[1, 2, 3].map((seed) => ({ label: `shuffled (${seed})`, packages: shuffled(byName, seed) })),
  ];
}

async function expectRpmOrder(
  packages: readonly RpmRepoPackage[],
  fileOf: (pkg: RpmRepoPackage) => string,
): Promise<void> {
  for (const { label, packages: added } of additionOrders(packages)) {
    const ours = rpmInstallOrder(added).map(formatNevra);
    const theirs = await rpmTransactionOrder(runner, added.map(fileOf));
    expect(ours, `added ${label}`).toEqual(theirs);
  }
}

describeWithReference(
  reference("rpm and rpmbuild (Debian's rpm 4.18) and createrepo_c", [
    RPM,
    hostTool('rpmbuild'),
    hostTool('createrepoC'),
  ]),
  'rpmInstallOrder on synthetic transactions, as rpm orders them',
  () => {
    let work = '';
    let repo = '';
    let records = new Map<string, RpmRepoPackage>();
    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'install-order-'));
      repo = await buildSyntheticRepo(runner, work, Object.values(TRANSACTIONS).flat());
      const loaded = await loadRpmRepository(localRepoSource(repo), {
        name: 'synthetic',
        priority: 1,
        requireSignature: false,
      });
      records = new Map(loaded.packages.map((pkg) => [pkg.name, pkg]));
    }, 300_000);
    afterAll(async () => {
      if (work !== '') await rm(work, { recursive: true, force: true });
    });

    for (const [rule, members] of Object.entries(TRANSACTIONS)) {
      itWithReference(reference('rpm', [RPM]), rule, async () => {
        const packages = members.map(({ name }) => {
          const record = records.get(name);
          if (record === undefined) throw new Error(`${name} was not built`);
          return record;
        });
        await expectRpmOrder(packages, (pkg) => join(repo, pkg.location));
      });
    }
  },
);

const RPM_REPO = RPM_FIXTURE_DIR;
const TREES = ['BaseOS', 'AppStream'] as const;

describeWithReference(
  reference("rpm (Debian's rpm 4.18) and the fixture RPM repository", [
    RPM,
    builtOutput(join(RPM_REPO, 'manifest.json'), 'testing:rpm-repo'),
  ]),
  'rpmInstallOrder on the LevitateOS package set, as rpm orders it',
  () => {
    let repositories: RpmRepository[] = [];
    let packages: readonly RpmRepoPackage[] = [];
    beforeAll(async () => {
      const spec = await loadVariant('levitate');
      repositories = await Promise.all(
        TREES.map((tree, at) =>
          loadRpmRepository(localRepoSource(rockyRepositoryDir(RPM_REPO, tree)), {
            name: tree,
            priority: 10 * (at + 1),
            requireSignature: false,
            arch: spec.arch,
          }),
        ),
      );
      const resolution = await resolveRpm(repositories, spec.packages, {
        arch: spec.arch,
        installWeakDeps: spec.installWeakDeps,
      });
      packages = resolution.packages;
    }, 120_000);

    itWithReference(
      reference('rpm', [RPM]),
      'gives the order rpm gives, whatever order the packages are added in',
      async () => {
        expect(packages.length).toBeGreaterThan(50);
        const treeOf = new Map(repositories.map((repository, at) => [repository.name, TREES[at]]));
        await expectRpmOrder(packages, (pkg) => {
          const tree = treeOf.get(pkg.repository);
          if (tree === undefined) throw new Error(`no tree holds ${pkg.repository}`);
          return join(rockyRepositoryDir(RPM_REPO, tree), pkg.location);
        });
      },
    );
  },
);

/**
 * A mirror caught mid-sync: repomd.xml lists the comps as group_xz and as plain group, but the
 * group_xz file is gone. dnf 4 reads the groups from the plain file; so must we.
 */

import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
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

const PACKAGES: readonly SyntheticPackage[] = [
  { name: 'tiny-base', tags: ['Recommends: tiny-docs'] },
  { name: 'tiny-docs' },
  { name: 'tiny-tool', tags: ['Requires: tiny-lib'] },
  { name: 'tiny-lib' },
  { name: 'tiny-extra' },
  { name: 'tiny-plugin' },
];

const COMPS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
<comps>
  <group>
    <id>tiny</id>
    <name>Tiny Set</name>
    <packagelist>
      <packagereq type="mandatory">tiny-base</packagereq>
      <packagereq type="default">tiny-tool</packagereq>
      <packagereq type="optional">tiny-extra</packagereq>
      <packagereq type="conditional" requires="tiny-tool">tiny-plugin</packagereq>
    </packagelist>
  </group>
</comps>
`;

const CASES = [
  { label: '@tiny', request: ['@tiny'], installWeakDeps: true },
  { label: '@tiny (no weak deps)', request: ['@tiny'], installWeakDeps: false },
] as const;

/** Removes the repodata files whose names end with one of `suffixes`. */
async function removeMetadata(repo: string, suffixes: readonly string[]): Promise<void> {
  const repodata = join(repo, 'repodata');
  for (const name of await readdir(repodata)) {
    if (suffixes.some((suffix) => name.endsWith(suffix))) await rm(join(repodata, name));
  }
}

function load(dir: string): Promise<RpmRepository> {
  return loadRpmRepository(localRepoSource(dir), {
    name: 'mid-sync',
    priority: 99,
    requireSignature: false,
  });
}

describeWithReference(
  DNF_ON_BUILT_REPOSITORIES,
  'comps listed as group_xz and group, group_xz missing',
  () => {
    const runner = createRunner();
    const plans = new Map<string, DnfPlan>();
    let work = '';
    let dir = '';

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'rpm-resolve-comps-'));
      dir = await buildSyntheticRepo(runner, work, PACKAGES, { comps: COMPS, compressType: 'xz' });
      await removeMetadata(dir, ['-comps.xml.xz']);
      for (const { label, request, installWeakDeps } of CASES) {
        const options = { arch: 'x86_64', releasever: '9', installWeakDeps };
        plans.set(label, await dnfInstallPlan(runner, dir, request, options));
      }
    }, 120_000);

    afterAll(async () => {
      if (work !== '') await rm(work, { recursive: true, force: true });
    });

    it('loads, with the groups from the plain comps file', async () => {
      const repo = await load(dir);
      expect(repo.repomd.data.map((entry) => entry.type)).toEqual(
        expect.arrayContaining(['group', 'group_xz']),
      );
      expect(repo.compsProblem).toBeUndefined();
      expect(repo.comps?.groups).toEqual([
        {
          id: 'tiny',
          name: 'Tiny Set',
          mandatory: ['tiny-base'],
          default: ['tiny-tool'],
          optional: ['tiny-extra'],
          conditional: [{ name: 'tiny-plugin', requires: 'tiny-tool' }],
        },
      ]);
    });

    it.each(CASES)('resolves $label as dnf does', async ({ label, request, installWeakDeps }) => {
      const plan = plans.get(label);
      if (plan?.ok !== true) throw new Error(`dnf failed: ${plan?.ok === false ? plan.error : ''}`);
      const result = await resolveRpm([await load(dir)], request, {
        arch: 'x86_64',
        installWeakDeps,
      });
      const ours = result.packages.map((pkg) => pkg.name).sort();
      expect(ours).toEqual(plan.packages.map((pkg) => pkg.name).sort());
      expect(ours).toContain('tiny-plugin');
      expect(ours.includes('tiny-docs')).toBe(installWeakDeps);
    });

    it('still loads without any comps file, and only a group request fails', async () => {
      const copy = join(work, 'no-comps');
      await cp(dir, copy, { recursive: true });
      await removeMetadata(copy, ['-comps.xml']);
      const repo = await load(copy);
      expect(repo.comps).toBeUndefined();
      expect(repo.compsProblem?.code).toBe('metadata-missing');

      const plain = await resolveRpm([repo], ['tiny-tool'], { arch: 'x86_64' });
      expect(plain.packages.map((pkg) => pkg.name)).toEqual(['tiny-lib', 'tiny-tool']);

      const error = await resolveRpm([repo], ['@tiny'], { arch: 'x86_64' }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(RpmResolveError);
      const { code, message, hint } = error as RpmResolveError;
      expect(code).toBe('rpm-groups-unavailable');
      expect(message).toMatch(
        /^@tiny needs the groups of every repository, but they cannot be read: repository "mid-sync", comps \(group_xz, group\): listed in repomd\.xml but not found at file:\/\/\S+-comps\.xml\.xz and file:\/\/\S+-comps\.xml$/,
      );
      expect(hint).toMatch(/another mirror; or request the packages by name$/);
      expect(hint).not.toMatch(/damaged/);
    });
  },
);

/**
 * `installWeakDeps: false` (`--no-weak-deps`) through the variant, the RPM backend and the
 * `resolve` command, against what dnf 4 installs with install_weak_deps=False from the same
 * repository, built here with rpmbuild and createrepo_c.
 */

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import { createVariantCli } from '../cli/variant-cli.ts';
import { createRunner } from '../core/run.ts';
import { createReporter } from '../core/step.ts';
import { createFetcher } from '../fetch/index.ts';
import {
  DNF_ON_BUILT_REPOSITORIES,
  dnfInstallPlan,
} from '../rpm-resolve/test-support/dnf-reference.ts';
import type { DnfPlan } from '../rpm-resolve/test-support/dnf-reference.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { buildSyntheticRepo } from '../rpm-resolve/test-support/synthetic-repo.ts';
import type { SyntheticPackage } from '../rpm-resolve/test-support/synthetic-repo.ts';
import { rpmBackend } from './rpm-backend.ts';

const PACKAGES: readonly SyntheticPackage[] = [
  { name: 'app', tags: ['Requires: app-lib', 'Recommends: helper', 'Suggests: extra'] },
  { name: 'app-lib', tags: ['Recommends: (lib-data if app)'] },
  { name: 'lib-data' },
  { name: 'helper', tags: ['Requires: helper-lib'] },
  { name: 'helper-lib' },
  { name: 'app-docs', tags: ['Supplements: app'] },
  { name: 'app-lang', tags: ['Supplements: (app and app-lib)'] },
  { name: 'extra' },
  { name: 'tool', tags: ['Recommends: helper'] },
];

const COMPS = `<?xml version="1.0" encoding="UTF-8"?>
<comps>
  <group>
    <id>minimal</id>
    <name>Minimal</name>
    <packagelist>
      <packagereq type="mandatory">tool</packagereq>
      <packagereq type="default">app</packagereq>
    </packagelist>
  </group>
</comps>
`;

const CASES = [['app'], ['@minimal'], ['tool', 'app-lib']].flatMap((request) =>
  [true, false].map((installWeakDeps) => ({
    label: `${request.join(' ')}${installWeakDeps ? '' : ' (no weak deps)'}`,
    request,
    installWeakDeps,
  })),
);

const quiet = createReporter({
  mode: 'plain',
  stream: { write: () => true } as unknown as NodeJS.WritableStream,
});

describeWithReference(
  DNF_ON_BUILT_REPOSITORIES,
  'weak dependencies, as dnf 4 installs them or not',
  () => {
    const plans = new Map<string, DnfPlan>();
    let work = '';
    let repo = '';
    let keys = '';

    beforeAll(async () => {
      const runner = createRunner();
      work = await mkdtemp(join(tmpdir(), 'rpm-weak-deps-'));
      repo = await buildSyntheticRepo(runner, work, PACKAGES, { comps: COMPS });
      // Resolving needs no keys: the repository's are loaded only to check a signature.
      keys = join(work, 'keys');
      await mkdir(keys);
      for (const { label, request, installWeakDeps } of CASES) {
        const options = { arch: 'x86_64', releasever: '10', installWeakDeps };
        plans.set(label, await dnfInstallPlan(runner, repo, request, options));
      }
    }, 120_000);

    afterAll(async () => {
      if (work !== '') await rm(work, { recursive: true, force: true });
    });

    function dnfNames(label: string): string[] {
      const plan = plans.get(label);
      if (plan?.ok !== true) throw new Error(`dnf failed: ${plan?.ok === false ? plan.error : ''}`);
      return plan.packages.map((pkg) => pkg.name).sort();
    }

    it.each(CASES)('$label: the RPM backend installs what dnf does', async (set) => {
      const spec = await loadVariant('levitate', {
        repositories: [{ url: repo, keysDir: keys }],
        ...(set.installWeakDeps ? {} : { installWeakDeps: false }),
      });
      expect(spec.installWeakDeps).toBe(set.installWeakDeps);
      const context = {
        spec,
        reporter: quiet,
        verify: true,
        keyDirs: [],
        stateDir: join(work, 'state'),
        fetcher: createFetcher({ cacheDir: join(work, 'downloads'), offline: true }),
      };
      const universe = await rpmBackend.load(spec.repositories, context);
      const resolution = await universe.resolve(set.request);
      expect(resolution.packages.map((pkg) => pkg.name).sort()).toEqual(dnfNames(set.label));
    });

    it('differs with and without weak dependencies here, or the comparison shows nothing', () => {
      expect(dnfNames('app')).toEqual(expect.arrayContaining(['helper', 'app-docs', 'lib-data']));
      expect(dnfNames('app (no weak deps)')).toEqual(['app', 'app-lib']);
    });

    it('is turned off by --no-weak-deps on the resolve command', async () => {
      let printed = '';
      const program = createVariantCli({
        bin: 'leviso',
        variant: 'levitate',
        summary: 'test',
        version: '0',
        write: (text) => {
          printed += text;
        },
      });
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        await program.parseAsync(
          [
            '--log-format',
            'plain',
            'resolve',
            '--json',
            '--no-weak-deps',
            '--repo',
            repo,
            '--keys',
            keys,
            '--cache',
            join(work, 'cli-cache'),
            '--offline',
            '--packages',
            '@minimal',
          ],
          { from: 'user' },
        );
      } finally {
        stderr.mockRestore();
      }
      const report = JSON.parse(printed) as { packages: { name: string }[] };
      expect(report.packages.map((pkg) => pkg.name).sort()).toEqual(
        dnfNames('@minimal (no weak deps)'),
      );
    });
  },
);

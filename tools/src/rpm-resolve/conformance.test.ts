import { beforeAll, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import type { RpmRepository } from '../rpm-repo/index.ts';
import { loadRpmFilelists } from './filelists.ts';
import type { RpmFilelistIndex } from './filelists.ts';
import { resolveRpm } from './resolve.ts';
import { centosBaseOsDir, loadCentosBaseOs } from './test-support/centos.ts';
import { DNF, dnfInstallPlan } from './test-support/dnf-reference.ts';
import type { DnfPlan } from './test-support/dnf-reference.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { formatEvr } from './vercmp.ts';

interface PackageSet {
  readonly request: readonly string[];
  readonly installWeakDeps?: boolean;
}

/** Package sets resolved by dnf and by us from CentOS Stream 9 BaseOS alone. */
const SETS: readonly PackageSet[] = [
  { request: ['bash'] },
  { request: ['systemd'] },
  { request: ['coreutils', 'util-linux', 'kmod'] },
  { request: ['dnf'] },
  { request: ['@core'] },
  { request: ['@core'], installWeakDeps: false },
  { request: ['kernel-core'] },
  { request: ['@minimal-environment'] },
  { request: ['@base'] },
  // File and soname requests; dnf picks among the providers like any requirement.
  { request: ['/usr/bin/bash', 'libc.so.6()(64bit)'] },
  // curl-minimal conflicts with curl, which dnf would otherwise pick for libcurl's users.
  { request: ['curl-minimal', 'dnf'] },
  // Multilib: glibc.i686 pulls in x86_64 glibc for its scripts, both installed side by side.
  { request: ['glibc.i686'] },
  { request: ['openssh-server', 'NetworkManager', 'sudo', 'shim-x64', 'grub2-efi-x64'] },
];

function label(set: PackageSet): string {
  const weak = set.installWeakDeps === false ? ' (no weak deps)' : '';
  return `${set.request.join(' ')}${weak}`;
}

describeWithReference(DNF, 'the same packages as dnf 4 on CentOS Stream 9 BaseOS', () => {
  const plans = new Map<string, DnfPlan>();
  let repo: RpmRepository;
  let filelists: RpmFilelistIndex;

  beforeAll(async () => {
    repo = await loadCentosBaseOs();
    filelists = await loadRpmFilelists([repo]);
    const runner = createRunner();
    for (const set of SETS) {
      const plan = await dnfInstallPlan(runner, centosBaseOsDir(), set.request, {
        arch: 'x86_64',
        releasever: '9',
        installWeakDeps: set.installWeakDeps ?? true,
      });
      plans.set(label(set), plan);
    }
  }, 120_000);

  it.each(SETS.map((set) => [label(set), set] as const))('%s', async (name, set) => {
    const plan = plans.get(name);
    if (plan === undefined || !plan.ok)
      throw new Error(`dnf failed: ${plan?.ok === false ? plan.error : ''}`);
    const expected = plan.packages.map((p) => `${p.name}.${p.arch} ${p.evr}`).sort();
    const result = await resolveRpm([repo], set.request, {
      arch: 'x86_64',
      installWeakDeps: set.installWeakDeps ?? true,
      filelists,
    });
    const ours = result.packages.map((p) => `${p.name}.${p.arch} ${formatEvr(p.evr)}`).sort();
    expect(ours).toEqual(expected);
    expect(result.reasons.size).toBe(result.packages.length);
  });
});

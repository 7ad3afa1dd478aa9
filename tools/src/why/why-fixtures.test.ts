import { beforeAll, describe, expect, it } from 'vitest';
import { parseApkIndexText } from '../apk-resolve/parse-index.ts';
import type { ApkIndexRecord } from '../apk-resolve/record.ts';
import { resolveApk } from '../apk-resolve/resolve.ts';
import { readApkIndexTextFixture } from '../apk-resolve/test-support/index-fixture.ts';
import type { RpmRepository } from '../rpm-repo/index.ts';
import { formatDependency } from '../rpm-repo/dependency-text.ts';
import { resolveRpm } from '../rpm-resolve/resolve.ts';
import { loadCentosBaseOs } from '../rpm-resolve/test-support/centos.ts';
import { describeWhy, whyInSet } from './index.ts';
import type { DependencyGraph } from './index.ts';

/** Every package but the requested ones is reached by some chain of real dependencies. */
function unreached(graph: DependencyGraph, names: readonly string[]): string[] {
  return names.filter((name) => whyInSet(graph, name, names).chains.length === 0);
}

describe('resolve --why on CentOS Stream 9 BaseOS', () => {
  let base: RpmRepository;
  beforeAll(async () => {
    base = await loadCentosBaseOs();
  }, 60_000);

  it('names the library that brings ncurses-libs in with bash', async () => {
    const { packages, graph } = await resolveRpm([base], ['bash'], { arch: 'x86_64' });
    const names = packages.map((pkg) => pkg.name);
    expect(describeWhy(whyInSet(graph, 'ncurses-libs', names))).toEqual([
      'bash → libtinfo.so.6()(64bit) → ncurses-libs',
    ]);
    expect(describeWhy(whyInSet(graph, 'kernel', names))).toEqual([
      'kernel is not in the resolved set',
    ]);
  });

  it('builds each edge from a Requires or Recommends that the other package provides', async () => {
    const { packages, graph } = await resolveRpm([base], ['bash', 'systemd'], { arch: 'x86_64' });
    const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
    expect(graph.edges.length).toBeGreaterThan(packages.length);
    for (const { from, dependency, to } of graph.edges) {
      const needs = [
        ...(byName.get(from)?.requires ?? []),
        ...(byName.get(from)?.recommends ?? []),
      ];
      expect(needs.map(formatDependency), `${from} → ${dependency}`).toContain(dependency);
      const provider = byName.get(to);
      const name = dependency.split(' ')[0] ?? '';
      const provides =
        provider?.name === name ||
        (provider?.provides ?? []).some((provide) => provide.name === name) ||
        (provider?.files ?? []).includes(name);
      expect(provides, `${to} provides ${dependency}`).toBe(true);
    }
    expect(graph.roots.map((root) => root.package).sort()).toEqual(['bash', 'systemd']);
    expect(
      unreached(
        graph,
        packages.map((pkg) => pkg.name),
      ),
    ).toEqual([]);
  });
});

describe('resolve --why on the Alpine 3.16 index', () => {
  let records: ApkIndexRecord[];
  beforeAll(() => {
    records = parseApkIndexText(readApkIndexTextFixture(), {
      repository: 'main',
      file: 'APKINDEX',
    });
  });

  it('names the dependency each step needs, from the request', () => {
    const { packages, graph } = resolveApk(
      [{ repository: 'main', records }],
      ['alpine-base', 'openrc', 'linux-lts'],
      {
        arch: 'x86_64',
      },
    );
    const names = packages.map((pkg) => pkg.name);
    expect(describeWhy(whyInSet(graph, 'mkinitfs', names))).toEqual([
      'linux-lts → mkinitfs>=3.6.0 → mkinitfs',
    ]);
    const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
    for (const { from, dependency, to } of graph.edges) {
      const record = byName.get(from);
      expect(
        record?.depends.some((dep) => dependency.startsWith(dep.name)),
        dependency,
      ).toBe(true);
      const target = byName.get(to);
      const name = dependency.split(/[<>=~]/)[0] ?? '';
      expect(
        target?.name === name || (target?.provides ?? []).some((provide) => provide.name === name),
        `${to} provides ${dependency}`,
      ).toBe(true);
    }
    // install_if packages come in through their conditions, not through a dependency.
    const unreachable = unreached(graph, names);
    for (const name of unreachable)
      expect(byName.get(name)?.installIf.length, name).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { ApkResolveError } from './errors.ts';
import { parseApkIndexText } from './parse-index.ts';
import { wantedChain } from './problems.ts';
import { createApkResolver, resolveApk } from './resolve.ts';
import { scenarioIndexes } from './test-support/scenario-indexes.ts';
import { SCENARIOS } from './test-support/scenarios.ts';
import { syntheticIndexText } from './test-support/synthetic-index.ts';
import type { SyntheticPackage } from './test-support/synthetic-index.ts';

function index(packages: readonly SyntheticPackage[], repository = 'main', priority?: number) {
  const text = syntheticIndexText(packages, repository.length);
  const records = parseApkIndexText(text, { repository, file: `${repository}/APKINDEX` });
  return priority === undefined ? { repository, records } : { repository, records, priority };
}

function ids(packages: readonly { name: string; version: string }[]): string[] {
  return packages.map((p) => `${p.name}-${p.version}`);
}

function failure(fn: () => unknown): ApkResolveError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApkResolveError);
    return err as ApkResolveError;
  }
  throw new Error('expected a ApkResolveError');
}

describe('resolveApk on small repositories (outcomes as Alpine apk 2.14 has them)', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.title, () => {
      const expected = scenario.ours ?? scenario.apk;
      const resolve = () =>
        resolveApk(scenarioIndexes(scenario), scenario.request, { arch: 'x86_64' });
      if (expected === 'error') {
        const err = failure(resolve);
        for (const words of scenario.message ?? []) {
          expect(err.message).toContain(words);
        }
      } else {
        expect(ids(resolve().packages)).toEqual(expected);
      }
    });
  }
});

describe('resolveApk', () => {
  const base = [
    { P: 'musl', V: '1.2.3-r2', p: 'so:libc.musl-x86_64.so.1=1' },
    {
      P: 'busybox',
      V: '1.35.0-r17',
      D: 'so:libc.musl-x86_64.so.1',
      p: '/bin/sh cmd:sh=1.35.0-r17',
    },
    { P: 'bar', V: '1.0-r0', D: '/bin/sh so:libc.musl-x86_64.so.1' },
    { P: 'docs', V: '0.2-r3' },
    { P: 'bar-doc', V: '1.0-r0', i: 'docs bar=1.0-r0' },
  ];

  it('returns packages in install order with the reason for each', () => {
    const result = resolveApk([index(base)], ['bar', 'busybox', 'docs'], { arch: 'x86_64' });
    expect(ids(result.packages)).toEqual([
      'musl-1.2.3-r2',
      'busybox-1.35.0-r17',
      'bar-1.0-r0',
      'docs-0.2-r3',
      'bar-doc-1.0-r0',
    ]);
    expect(result.reasons.get('bar')).toEqual({
      kind: 'requested',
      dependency: { name: 'bar', conflict: false },
    });
    expect(result.reasons.get('musl')).toMatchObject({ kind: 'dependency', by: 'busybox' });
    expect(result.reasons.get('bar-doc')).toMatchObject({ kind: 'install-if' });
    expect(wantedChain('musl', result.reasons)).toBe('musl <- busybox <- bar <- requested');
    expect(wantedChain('bar-doc', result.reasons)).toBe('bar-doc <- install_if(docs bar)');
  });

  it('says what is missing and who wanted it', () => {
    const packages = [...base, { P: 'app', V: '2-r0', D: 'bar so:libfoo.so.1' }];
    const err = failure(() =>
      resolveApk([index(packages)], ['app', 'busybox'], { arch: 'x86_64' }),
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.code).toBe('apk-unresolvable');
    expect(err.message).toContain(
      'nothing provides so:libfoo.so.1 needed by app-2-r0 (wanted by: app <- requested)',
    );
  });

  it('reports a name nobody provides', () => {
    const err = failure(() => resolveApk([index(base)], ['nvme-cli'], { arch: 'x86_64' }));
    expect(err.message).toContain('nothing provides nvme-cli (requested)');
  });

  it('reports a version nobody provides, with what there is', () => {
    const err = failure(() => resolveApk([index(base)], ['musl>=2'], { arch: 'x86_64' }));
    expect(err.message).toContain(
      'nothing provides musl>=2 (requested); there is only musl-1.2.3-r2',
    );
  });

  it('prefers a repository of higher priority over a higher version', () => {
    const low = index([{ P: 'foo', V: '2' }], 'edge');
    const high = index([{ P: 'foo', V: '1' }], 'stable', 10);
    const result = resolveApk([low, high], ['foo'], { arch: 'x86_64' });
    expect(result.packages.map((p) => p.repository)).toEqual(['stable']);
  });

  it('treats one package listed in two indexes (same C:) as one', () => {
    const text = syntheticIndexText([{ P: 'foo', V: '1' }]);
    const a = parseApkIndexText(text, { repository: 'a', file: 'a' });
    const b = parseApkIndexText(text, { repository: 'b', file: 'b' });
    const result = resolveApk(
      [
        { repository: 'a', records: a },
        { repository: 'b', records: b, priority: 5 },
      ],
      ['foo'],
      { arch: 'x86_64' },
    );
    expect(result.packages).toHaveLength(1);
    expect(result.packages[0]?.repository).toBe('a');
  });

  it('selects one exact package by its identity hash with ><', () => {
    const repo = index([
      { P: 'foo', V: '1' },
      { P: 'foo', V: '2' },
    ]);
    const old = repo.records[0];
    const result = resolveApk([repo], [`foo><${old?.checksum}`], { arch: 'x86_64' });
    expect(ids(result.packages)).toEqual(['foo-1']);
  });

  it('takes the last of repeated requests for one name', () => {
    const repo = index([
      { P: 'foo', V: '1' },
      { P: 'foo', V: '2' },
    ]);
    expect(ids(resolveApk([repo], ['foo<2', 'foo'], { arch: 'x86_64' }).packages)).toEqual([
      'foo-2',
    ]);
  });

  it('refuses malformed requests and repository tags', () => {
    const repo = index(base);
    expect(failure(() => resolveApk([repo], ['bar>='], { arch: 'x86_64' })).code).toBe(
      'apk-request-invalid',
    );
    expect(failure(() => resolveApk([repo], ['bar@edge'], { arch: 'x86_64' })).code).toBe(
      'apk-request-invalid',
    );
  });

  it('resolves many requests with one prepared resolver, also after a failure', () => {
    const resolver = createApkResolver([index(base)], { arch: 'x86_64' });
    const first = ids(resolver.resolve(['bar', 'busybox']).packages);
    failure(() => resolver.resolve(['bar']));
    failure(() => resolver.resolve(['nothing-here']));
    expect(ids(resolver.resolve(['bar', 'busybox']).packages)).toEqual(first);
    expect(ids(resolver.resolve(['docs', 'bar', 'busybox']).packages)).toEqual(
      ids(resolveApk([index(base)], ['docs', 'bar', 'busybox'], { arch: 'x86_64' }).packages),
    );
  });
});

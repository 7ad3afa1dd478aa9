import { describe, expect, it } from 'vitest';
import { broughtInBy, describeWhy, whyInSet } from './index.ts';
import type { DependencyGraph } from './index.ts';

const edge = (from: string, dependency: string, to: string) => ({ from, dependency, to });

/** app needs lib-a and lib-b, which both need libc; tool needs libc directly; libc needs itself. */
const GRAPH: DependencyGraph = {
  roots: [
    { request: 'app', package: 'app' },
    { request: 'tool>=2', package: 'tool' },
  ],
  edges: [
    edge('app', 'liba.so.1', 'lib-a'),
    edge('app', 'libb.so.1', 'lib-b'),
    edge('lib-a', 'libc.so.6', 'libc'),
    edge('lib-b', 'libc.so.6', 'libc'),
    edge('lib-b', 'rtld', 'libc'),
    edge('tool', 'libc.so.6', 'libc'),
    edge('libc', 'libc.so.6', 'libc'),
    edge('lib-a', 'libdeep.so', 'deep'),
    edge('deep', 'libc.so.6', 'libc'),
  ],
};
const SET = ['app', 'tool', 'lib-a', 'lib-b', 'libc', 'deep', 'weak'];

describe('whyInSet', () => {
  it('gives the shortest chains only, each edge named after the dependency', () => {
    const answer = whyInSet(GRAPH, 'libc', SET);
    expect(answer.chains).toEqual([
      [{ package: 'tool' }, { package: 'libc', dependency: 'libc.so.6' }],
    ]);
    expect(describeWhy(answer)).toEqual(['tool → libc.so.6 → libc']);
  });

  it('lists every shortest chain in a stable order, one edge per pair of packages', () => {
    const graph = { ...GRAPH, roots: [{ request: 'app', package: 'app' }] };
    expect(describeWhy(whyInSet(graph, 'libc', SET))).toEqual([
      'app → liba.so.1 → lib-a → libc.so.6 → libc',
      'app → libb.so.1 → lib-b → libc.so.6 → libc',
    ]);
    expect(describeWhy(whyInSet(graph, 'deep', SET))).toEqual([
      'app → liba.so.1 → lib-a → libdeep.so → deep',
    ]);
  });

  it('says how many more there are past the limit', () => {
    const graph = { ...GRAPH, roots: [{ request: 'app', package: 'app' }] };
    const answer = whyInSet(graph, 'libc', SET, 1);
    expect(answer.shortest).toBe(2);
    expect(describeWhy(answer).at(-1)).toBe('… and 1 more of the same length');
  });

  it('answers a requested package with itself', () => {
    expect(describeWhy(whyInSet(GRAPH, 'tool', SET))).toEqual(['tool']);
  });

  it('tells a package outside the set from one that no chain reaches', () => {
    expect(describeWhy(whyInSet(GRAPH, 'absent', SET))).toEqual([
      'absent is not in the resolved set',
    ]);
    expect(describeWhy(whyInSet(GRAPH, 'weak', SET))[0]).toMatch(
      /^weak is in the set, but no dependency chain from the request leads to it/,
    );
  });
});

describe('broughtInBy', () => {
  it('gives each reached package the request of its nearest root, ties to the first request', () => {
    expect(Object.fromEntries(broughtInBy(GRAPH))).toEqual({
      app: 'app',
      tool: 'tool>=2',
      'lib-a': 'app',
      'lib-b': 'app',
      deep: 'app',
      libc: 'tool>=2',
    });
  });
});

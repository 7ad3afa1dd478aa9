import type { Scenario } from './scenarios.ts';

/** install_if, versions, conflicts, repositories, failures and deliberate differences. */
export const CONSTRAINT_SCENARIOS: readonly Scenario[] = [
  {
    title: 'install_if: all conditions, with versions, must hold',
    repositories: [
      [
        { P: 'a', V: '1' },
        { P: 'b', V: '1' },
        { P: 'c', V: '1', i: 'a b' },
        { P: 'd', V: '1', i: 'a !b' },
        { P: 'e', V: '1', i: 'a b=2' },
      ],
    ],
    request: ['a', 'b'],
    apk: ['a-1', 'b-1', 'c-1'],
  },
  {
    title: 'install_if with a conflict condition does not fire for a name nobody settled',
    repositories: [
      [
        { P: 'a', V: '1' },
        { P: 'b', V: '1' },
        { P: 'd', V: '1', i: 'a !b' },
      ],
    ],
    request: ['a'],
    apk: ['a-1'],
  },
  {
    title: 'install_if packages bring their dependencies and trigger further install_if',
    repositories: [
      [
        { P: 'a', V: '1' },
        { P: 'b', V: '1', D: 'x' },
        { P: 'x', V: '1' },
        { P: 'c', V: '1', i: 'a b', D: 'y' },
        { P: 'y', V: '1' },
        { P: 'd', V: '1', i: 'c' },
      ],
    ],
    request: ['b', 'a'],
    apk: ['a-1', 'x-1', 'b-1', 'y-1', 'c-1', 'd-1'],
  },
  {
    title: 'the highest version of a name wins',
    repositories: [
      [
        { P: 'foo', V: '1' },
        { P: 'foo', V: '2' },
      ],
    ],
    request: ['foo'],
    apk: ['foo-2'],
  },
  {
    title: 'a version constraint in the request',
    repositories: [
      [
        { P: 'foo', V: '1' },
        { P: 'foo', V: '2' },
      ],
    ],
    request: ['foo<2'],
    apk: ['foo-1'],
  },
  {
    title: 'an exact version in the request',
    repositories: [
      [
        { P: 'foo', V: '1' },
        { P: 'foo', V: '2' },
      ],
    ],
    request: ['foo=1'],
    apk: ['foo-1'],
  },
  {
    title: 'a version constraint from a dependency',
    repositories: [
      [
        { P: 'foo', V: '1' },
        { P: 'foo', V: '2' },
        { P: 'bar', V: '1', D: 'foo<2' },
      ],
    ],
    request: ['bar', 'foo'],
    apk: ['foo-1', 'bar-1'],
  },
  {
    title: 'a version constraint two levels down',
    repositories: [
      [
        { P: 'foo', V: '1' },
        { P: 'foo', V: '2' },
        { P: 'zed', V: '1', D: 'mid' },
        { P: 'mid', V: '1', D: 'foo<2' },
      ],
    ],
    request: ['foo', 'zed'],
    apk: ['foo-1', 'mid-1', 'zed-1'],
  },
  {
    title: 'a fuzzy request matches by prefix',
    repositories: [
      [
        { P: 'foo', V: '1.2.3-r1' },
        { P: 'foo', V: '1.3.0-r0' },
      ],
    ],
    request: ['foo~1.2'],
    apk: ['foo-1.2.3-r1'],
  },
  {
    title: 'a fuzzy request stops comparing where the kinds of parts differ',
    repositories: [[{ P: 'foo', V: '1.2.3-r1' }]],
    request: ['foo~1.2.3_rc1'],
    apk: ['foo-1.2.3-r1'],
  },
  {
    title: 'two packages may not provide the same versioned name',
    repositories: [
      [
        { P: 'a', V: '1', p: 'so:libl.so.1=1' },
        { P: 'b', V: '1', p: 'so:libl.so.1=1' },
      ],
    ],
    request: ['a', 'b'],
    apk: 'error',
    message: ['both provide so:libl.so.1'],
  },
  {
    title: 'dependency cycles install in depth-first order',
    repositories: [
      [
        { P: 'a', V: '1', D: 'b' },
        { P: 'b', V: '1', D: 'c' },
        { P: 'c', V: '1', D: 'a' },
      ],
    ],
    request: ['a'],
    apk: ['c-1', 'b-1', 'a-1'],
  },
  {
    title: 'a missing so: dependency names the package that needs it',
    repositories: [[{ P: 'bar', V: '1.0-r0', D: 'so:libfoo.so.1' }]],
    request: ['bar'],
    apk: 'error',
    message: ['nothing provides so:libfoo.so.1 needed by bar-1.0-r0 (wanted by: bar <- requested)'],
  },
  {
    title: 'a higher version in the second repository wins',
    repositories: [[{ P: 'foo', V: '1' }], [{ P: 'foo', V: '2' }]],
    request: ['foo'],
    apk: ['foo-2'],
  },
  {
    title: 'equal versions in two repositories: the first repository wins',
    repositories: [
      [
        { P: 'foo', V: '1', D: 'x' },
        { P: 'x', V: '1' },
      ],
      [
        { P: 'foo', V: '1', D: 'y' },
        { P: 'y', V: '1' },
      ],
    ],
    request: ['foo'],
    apk: ['x-1', 'foo-1'],
  },
  {
    title: 'replaces do not affect resolution',
    repositories: [
      [
        { P: 'a', V: '1', r: 'b' },
        { P: 'b', V: '1' },
      ],
    ],
    request: ['a', 'b'],
    apk: ['a-1', 'b-1'],
  },
  {
    title: 'a conflict in the request',
    repositories: [
      [
        { P: 'a', V: '1', D: 'b' },
        { P: 'b', V: '1' },
      ],
    ],
    request: ['a', '!b'],
    apk: 'error',
    message: ['conflict: !b (requested), but b-1 is installed (wanted by: b <- a <- requested)'],
  },
  {
    title: 'no second try when the best provider turns out broken',
    repositories: [
      [
        { P: 'x', V: '1', D: 'v' },
        { P: 'p1', V: '1', p: 'v=2', D: 'missing' },
        { P: 'p2', V: '1', p: 'v=1' },
      ],
    ],
    request: ['x'],
    apk: 'error',
    message: ['nothing provides missing needed by p1-1 (wanted by: p1 <- x <- requested)'],
  },
  {
    title: 'a virtual provide does not satisfy a versioned dependency',
    repositories: [
      [
        { P: 'a', V: '1', D: 'v>=1' },
        { P: 'b', V: '1', p: 'v', k: 5 },
      ],
    ],
    request: ['a'],
    apk: 'error',
    message: ['nothing provides v>=1 needed by a-1', 'there is only b-1 (as v)'],
  },
  {
    title: 'dependencies all providers share are settled first',
    repositories: [
      [
        { P: 'x', V: '1', D: 'v' },
        { P: 'p1', V: '1', p: 'v=1', D: 'lib' },
        { P: 'p2', V: '2', p: 'v=1', D: 'lib' },
        { P: 'lib', V: '1' },
        { P: 'lib', V: '2' },
      ],
    ],
    request: ['x'],
    apk: ['lib-2', 'p1-1', 'x-1'],
  },
  {
    title: 'records of another architecture',
    repositories: [
      [
        { P: 'a', V: '1', A: 'aarch64' },
        { P: 'n', V: '1', A: 'noarch' },
      ],
    ],
    request: ['a', 'n'],
    apk: ['a-1', 'n-1'],
    ours: 'error',
    difference:
      'apk 2.14 ignores A: and would install an aarch64 package on x86_64; the resolver ' +
      'leaves records of other architectures out (noarch is kept)',
    message: ['nothing provides a (requested)'],
  },
];

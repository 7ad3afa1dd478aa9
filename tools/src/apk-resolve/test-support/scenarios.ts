import { CONSTRAINT_SCENARIOS } from './scenarios-constraints.ts';
import type { SyntheticPackage } from './synthetic-index.ts';

/**
 * Small repositories and requests, with what Alpine's apk 2.14 does with them: the install
 * order (`name-version`), or `error` when apk refuses. resolve.test.ts holds the resolver to
 * these; resolve-synthetic-apk.test.ts checks them against apk itself.
 */
export interface Scenario {
  readonly title: string;
  /** One or more indexes, the first preferred on ties. */
  readonly repositories: readonly (readonly SyntheticPackage[])[];
  readonly request: readonly string[];
  readonly apk: readonly string[] | 'error';
  /** What the resolver does where it differs from apk on purpose (see `difference`). */
  readonly ours?: readonly string[] | 'error';
  readonly difference?: string;
  /** Words the resolver's error message must contain. */
  readonly message?: readonly string[];
}

/** Choosing among providers. */
const PROVIDER_SCENARIOS: readonly Scenario[] = [
  {
    title: 'equal versions: the package listed first wins (real name first)',
    repositories: [
      [
        { P: 'foo', V: '2.0-r0' },
        { P: 'bar', V: '2.0-r0', p: 'foo=2.0-r0' },
      ],
    ],
    request: ['foo'],
    apk: ['foo-2.0-r0'],
  },
  {
    title: 'equal versions: the package listed first wins (provider first)',
    repositories: [
      [
        { P: 'bar', V: '2.0-r0', p: 'foo=2.0-r0' },
        { P: 'foo', V: '2.0-r0' },
      ],
    ],
    request: ['foo'],
    apk: ['bar-2.0-r0'],
  },
  {
    title: 'a provide with a higher version beats the real name',
    repositories: [
      [
        { P: 'foo', V: '1.0-r0' },
        { P: 'bar', V: '2.0-r0', p: 'foo=2.0-r0' },
      ],
    ],
    request: ['foo'],
    apk: ['bar-2.0-r0'],
  },
  {
    title: 'a virtual name with one provider and no k: is not chosen on its own',
    repositories: [
      [
        { P: 'a', V: '1', D: 'v' },
        { P: 'b', V: '1', p: 'v' },
      ],
    ],
    request: ['a'],
    apk: 'error',
    message: ['v is a virtual name', 'b-1', 'ask for one of them explicitly'],
  },
  {
    title: 'a virtual name is satisfied by a requested provider',
    repositories: [
      [
        { P: 'a', V: '1', D: 'v' },
        { P: 'b', V: '1', p: 'v' },
      ],
    ],
    request: ['a', 'b'],
    apk: ['b-1', 'a-1'],
  },
  {
    title: 'provider_priority chooses among virtual providers',
    repositories: [
      [
        { P: 'a', V: '1', p: 'v', k: 10 },
        { P: 'b', V: '1', p: 'v', k: 20 },
        { P: 'c', V: '1', p: 'v', k: 15 },
        { P: 'x', V: '1', D: 'v' },
      ],
    ],
    request: ['x'],
    apk: ['b-1', 'x-1'],
  },
  {
    title: 'a provided version beats provider_priority',
    repositories: [
      [
        { P: 'a', V: '1', p: 'v=1', k: 10 },
        { P: 'b', V: '1', p: 'v=2' },
      ],
    ],
    request: ['v'],
    apk: ['b-1'],
  },
  {
    title: 'so: names go to the provider of the highest version',
    repositories: [
      [
        { P: 'a', V: '1', p: 'so:libx.so.1=1' },
        { P: 'b', V: '1', p: 'so:libx.so.1=2' },
        { P: 'c', V: '1', p: 'so:libx.so.1=1.5' },
        { P: 'u', V: '1', D: 'so:libx.so.1' },
      ],
    ],
    request: ['u'],
    apk: ['b-1', 'u-1'],
  },
  {
    title: 'a conflict with a requested package fails',
    repositories: [
      [
        { P: 'a', V: '1', D: '!b' },
        { P: 'b', V: '1' },
      ],
    ],
    request: ['a', 'b'],
    apk: 'error',
    message: ['conflict: !b needed by a-1 (wanted by: a <- requested)', 'b-1 is installed'],
  },
  {
    title: 'a conflict steers the choice of provider',
    repositories: [
      [
        { P: 'a', V: '1', D: '!p2 v' },
        { P: 'p1', V: '1', p: 'v', k: 10 },
        { P: 'p2', V: '1', p: 'v', k: 20 },
      ],
    ],
    request: ['a'],
    apk: ['p1-1', 'a-1'],
  },
];

export const SCENARIOS: readonly Scenario[] = [...PROVIDER_SCENARIOS, ...CONSTRAINT_SCENARIOS];

import { mkdirSync, readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe } from 'vitest';
import {
  BUILTIN_VARIANTS,
  KeyPinError,
  SpecError,
  UnknownFeatureError,
  loadVariant,
  variantFile,
} from '@levitate/distro-spec';
import { ScratchDir, fc, fuzzTest, mutatedLines } from '../test-support/fuzz.ts';

/**
 * Variant files as users write them, mutated: the built-in variants line by line and byte by
 * byte, documents generated from the schema's fields with values of every type, and anchors
 * and aliases (including the exponential kind). The fuzz test lives here, beside the command
 * line's loader, because distro-spec may not import the tools' test support.
 */

const SEEDS = BUILTIN_VARIANTS.map((name) => readFileSync(variantFile(name), 'utf8'));

const FIELDS = [
  'extends',
  'id',
  'name',
  'version',
  'arch',
  'family',
  'libc',
  'init',
  'osRelease',
  'keys',
  'repositories',
  'packages',
  'services',
  'kernel',
  'live',
  'disk',
  'overlay',
  'features',
  'weakDependencies',
];

const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    'acorn',
    'levitate',
    '../acorn/variant.yaml',
    'x86_64',
    'apk',
    'rpm',
    '0755',
    'rest',
    '1GiB',
  ),
);

/** JSON values shaped loosely like the schema; JSON is YAML, so they need no YAML writer here. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('any'), { maxLength: 4 }),
  map: fc.dictionary(
    fc.oneof(
      fc.constantFrom(...FIELDS, 'name', 'url', 'path', 'mode', 'role', 'size', 'label'),
      fc.string({ maxLength: 8 }),
    ),
    tie('any'),
    { maxKeys: 5 },
  ),
})).any;

const generated = fc
  .dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 10 })
  .map((document) => JSON.stringify(document, null, 1));

/** Anchors and aliases: `levels` of `width` aliases each, to a list, in a field or a new key. */
const aliases = fc
  .record({
    seed: fc.constantFrom(...SEEDS),
    levels: fc.integer({ min: 1, max: 12 }),
    width: fc.integer({ min: 1, max: 12 }),
    dangling: fc.boolean(),
    selfReference: fc.boolean(),
  })
  .map(({ seed, levels, width, dangling, selfReference }) => {
    const lines = ['bomb0: &a0 [x, y, z]'];
    for (let level = 1; level <= levels; level++) {
      const refs = Array.from({ length: width }, () => `*a${level - 1}`).join(', ');
      lines.push(`bomb${level}: &a${level} [${refs}]`);
    }
    if (dangling) lines.push('dangling: *nowhere');
    if (selfReference) lines.push('loop: &loop [*loop]');
    return `${seed}\n${lines.join('\n')}\n`;
  });

const yamlLine = fc.oneof(
  fc.constantFrom(
    'extends: acorn',
    'extends: levitate',
    'extends: /etc/passwd.yaml',
    'id: &id x',
    'name: *id',
    '<<: *id',
    '? [complex, key]',
    ': value',
    '--- ',
    '...',
    '%YAML 1.1',
    '!!binary aGVsbG8=',
    'packages: !!set {a, b}',
    'version: 1.0',
    '  - { name: x, url: "https://example.org", keys: [] }',
    '\t- tab',
  ),
  fc.string({ maxLength: 40 }),
);

const inputs = fc.oneof(
  { weight: 5, arbitrary: mutatedLines(SEEDS, yamlLine, { maxMutations: 6 }) },
  { weight: 2, arbitrary: generated },
  { weight: 1, arbitrary: aliases },
);

/**
 * The yaml library warns through the process (complex keys it stringifies); the warnings would
 * flood the test log, so they are held back while one case runs.
 */
async function quietly<T>(action: () => Promise<T>): Promise<T> {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    return await action();
  } finally {
    process.emitWarning = emitWarning;
  }
}

const scratch = new ScratchDir();
beforeAll(async () => {
  await scratch.open('variant-fuzz-');
  mkdirSync(scratch.path('overlay'));
});
afterAll(() => scratch.close());

describe('variant YAML fuzz', () => {
  fuzzTest('a variant file loads into a spec or is refused with its problems', {
    parser: 'variant YAML',
    runs: 2000,
    inputs,
    parse: (text) =>
      quietly(() => loadVariant(scratch.write('fuzz.yaml', new TextEncoder().encode(text)))),
    errors: [SpecError, KeyPinError, UnknownFeatureError],
  });
});

import { describe, expect, it } from 'vitest';
import type { RpmDependency } from '../rpm-repo/types.ts';
import { formatRich, parseRich, RichDependencyError } from './rich.ts';
import { richCandidates, richClauses, richHolds } from './rich-logic.ts';
import type { RichAtoms } from './rich-logic.ts';

/** Capabilities a..f are provided by packages 1..6; `ab` by both 1 and 2; `none` by nothing. */
const ATOMS: RichAtoms = {
  providers(dep: RpmDependency) {
    if (dep.name === 'ab') return [1, 2];
    if (dep.name === 'none') return [];
    const id = 'abcdef'.indexOf(dep.name) + 1;
    return id > 0 ? [id] : [];
  },
};

function holds(text: string, installed: string): boolean {
  const ids = new Set([...installed].map((name) => 'abcdef'.indexOf(name) + 1));
  return richHolds(parseRich(text), ATOMS, (id) => ids.has(id));
}

/** Whether the clauses accept exactly the installed set. */
function clausesHold(text: string, installed: string, negated = false): boolean {
  const ids = new Set([...installed].map((name) => 'abcdef'.indexOf(name) + 1));
  return richClauses(parseRich(text), ATOMS, negated).every((clause) =>
    clause.some((literal) => (literal > 0 ? ids.has(literal) : !ids.has(-literal))),
  );
}

describe('parseRich', () => {
  it('parses operators, versions, nesting and names with parentheses', () => {
    expect(parseRich('(foo >= 1.2-3 or bar)')).toEqual({
      op: 'or',
      operands: [
        { op: 'dep', dep: { name: 'foo', flags: 'GE', version: '1.2', release: '3' } },
        { op: 'dep', dep: { name: 'bar' } },
      ],
    });
    const rich = parseRich('(libcrypt.so.1()(64bit) if python3(x86-64))');
    expect(rich).toEqual({
      op: 'if',
      then: { op: 'dep', dep: { name: 'libcrypt.so.1()(64bit)' } },
      condition: { op: 'dep', dep: { name: 'python3(x86-64)' } },
    });
    expect(formatRich(parseRich('(a if (b or c) else (d and e >= 1:2))'))).toBe(
      '(a if (b or c) else (d and e >= 1:2))',
    );
    expect(formatRich(parseRich('(a or b or c)'))).toBe('(a or b or c)');
    expect(formatRich(parseRich('(a unless b else c)'))).toBe('(a unless b else c)');
    expect(formatRich(parseRich('((a with b) without c)'))).toBe('((a with b) without c)');
  });

  it('rejects what rpm rejects', () => {
    for (const bad of ['(a or b and c)', '(a frob b)', '(a or)', '(a or b', 'a or b', '(if a)']) {
      expect(() => parseRich(bad), bad).toThrow(RichDependencyError);
    }
  });
});

describe('rich dependency semantics', () => {
  const CASES: readonly (readonly [string, string, boolean])[] = [
    ['(a and b)', 'ab', true],
    ['(a and b)', 'a', false],
    ['(a or b)', 'b', true],
    ['(a or b)', '', false],
    ['(a if b)', '', true],
    ['(a if b)', 'b', false],
    ['(a if b)', 'ab', true],
    ['(a if b else c)', 'c', true],
    ['(a if b else c)', '', false],
    ['(a if b else c)', 'b', false],
    ['(a if b else c)', 'ab', true],
    ['(a unless b)', 'a', true],
    ['(a unless b)', 'ab', false],
    ['(a unless b)', '', false],
    ['(a unless b else c)', 'a', true],
    ['(a unless b else c)', 'bc', true],
    ['(a unless b else c)', 'ab', false],
    ['(ab with b)', 'b', true],
    ['(ab with b)', 'a', false],
    ['(ab without b)', 'a', true],
    ['(ab without b)', 'b', false],
    ['((a or b) and (c if d))', 'bd', false],
    ['((a or b) and (c if d))', 'bcd', true],
    ['(none or a)', 'a', true],
  ];

  it.each(CASES)('%s with %j installed: %s', (text, installed, expected) => {
    expect(holds(text, installed)).toBe(expected);
    expect(clausesHold(text, installed)).toBe(expected);
    expect(clausesHold(text, installed, true)).toBe(!expected);
  });

  it('turns requirements into clauses', () => {
    expect(richClauses(parseRich('(a if b)'), ATOMS)).toEqual([[1, -2]]);
    expect(richClauses(parseRich('(a or (b and c))'), ATOMS)).toEqual([
      [1, 2],
      [1, 3],
    ]);
    expect(richClauses(parseRich('(none and a)'), ATOMS)).toEqual([[], [1]]);
  });

  it('points weak dependencies at the packages behind conditions that hold', () => {
    const candidates = (text: string, installed: number[]) =>
      richCandidates(parseRich(text), ATOMS, (id) => installed.includes(id)).sort();
    expect(candidates('(a if b)', [])).toEqual([]);
    expect(candidates('(a if b)', [2])).toEqual([1]);
    expect(candidates('(a if b else c)', [])).toEqual([3]);
    expect(candidates('(a and (c or d))', [])).toEqual([1, 3, 4]);
    expect(candidates('(a unless b)', [])).toEqual([1]);
  });
});

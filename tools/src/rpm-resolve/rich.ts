import type { RpmDependency } from '../rpm-repo/types.ts';
import {
  comparisonOf,
  formatDependency,
  versionedDependency,
} from '../rpm-repo/dependency-text.ts';

/** Operators that combine operands of the same kind, and may be chained: `(a or b or c)`. */
export type RichChainOperator = 'and' | 'or' | 'with' | 'without';

/** A parsed rich (boolean) dependency. */
export type RichDependency =
  | { readonly op: 'dep'; readonly dep: RpmDependency }
  | { readonly op: RichChainOperator; readonly operands: readonly RichDependency[] }
  | {
      readonly op: 'if' | 'unless';
      readonly then: RichDependency;
      readonly condition: RichDependency;
      readonly otherwise?: RichDependency;
    };

/** A rich dependency that rpm would reject. */
export class RichDependencyError extends Error {
  override name = 'RichDependencyError';
}

const CHAIN_OPERATORS: ReadonlySet<string> = new Set(['and', 'or', 'with', 'without']);
const KEYWORDS: ReadonlySet<string> = new Set([...CHAIN_OPERATORS, 'if', 'unless', 'else']);

/** Whether a dependency name is a rich dependency (it starts with `(`). */
export function isRich(name: string): boolean {
  return name.startsWith('(');
}

class RichParser {
  private position = 0;

  constructor(private readonly text: string) {}

  parse(): RichDependency {
    const result = this.group();
    this.skipSpace();
    if (this.position !== this.text.length) this.fail('unexpected text after the closing )');
    return result;
  }

  private fail(message: string): never {
    throw new RichDependencyError(`${message} in ${JSON.stringify(this.text)}`);
  }

  private skipSpace(): void {
    while (/[\s,]/.test(this.text.charAt(this.position))) this.position++;
  }

  /** `( operand op operand ... )` */
  private group(): RichDependency {
    this.skipSpace();
    if (this.text.charAt(this.position) !== '(') this.fail('expected (');
    this.position++;
    const first = this.operand();
    this.skipSpace();
    if (this.text.charAt(this.position) === ')') {
      this.position++;
      return first;
    }
    const op = this.word();
    let result: RichDependency;
    if (op === 'if' || op === 'unless') {
      const condition = this.operand();
      this.skipSpace();
      if (this.peekWord() === 'else') {
        this.word();
        const otherwise = this.operand();
        result = { op, then: first, condition, otherwise };
      } else {
        result = { op, then: first, condition };
      }
    } else if (CHAIN_OPERATORS.has(op)) {
      const operands = [first, this.operand()];
      for (;;) {
        this.skipSpace();
        if (this.text.charAt(this.position) === ')') break;
        const next = this.word();
        if (next !== op) this.fail(`cannot chain ${op} with ${next || 'nothing'}`);
        operands.push(this.operand());
      }
      result = { op: op as RichChainOperator, operands };
    } else {
      this.fail(`unknown operator ${JSON.stringify(op)}`);
    }
    this.skipSpace();
    if (this.text.charAt(this.position) !== ')') this.fail('expected )');
    this.position++;
    return result;
  }

  private operand(): RichDependency {
    this.skipSpace();
    if (this.text.charAt(this.position) === '(') return this.group();
    const name = this.word();
    if (name === '' || KEYWORDS.has(name)) this.fail('expected a dependency');
    this.skipSpace();
    const flags = comparisonOf(this.peekWord());
    if (flags === undefined) return { op: 'dep', dep: { name } };
    this.word();
    this.skipSpace();
    const evrText = this.word();
    if (evrText === '') this.fail(`expected a version after ${name}`);
    return { op: 'dep', dep: versionedDependency(name, flags, evrText) };
  }

  /** A run of non-space characters; parentheses inside it must balance (`libc.so.6()(64bit)`). */
  private word(): string {
    this.skipSpace();
    const start = this.position;
    let depth = 0;
    for (;;) {
      const ch = this.text.charAt(this.position);
      if (ch === '' || /[\s,]/.test(ch)) break;
      if (ch === '(') depth++;
      if (ch === ')') {
        if (depth === 0) break;
        depth--;
      }
      this.position++;
    }
    return this.text.slice(start, this.position);
  }

  private peekWord(): string {
    const saved = this.position;
    const word = this.word();
    this.position = saved;
    return word;
  }
}

/** Parses a rich dependency such as `(foo >= 1.2 if (bar or baz))`. */
export function parseRich(text: string): RichDependency {
  return new RichParser(text).parse();
}

/** The rich dependency as text, fully parenthesised. */
export function formatRich(rich: RichDependency): string {
  const operand = (inner: RichDependency) =>
    inner.op === 'dep' ? formatDependency(inner.dep) : formatRich(inner);
  switch (rich.op) {
    case 'dep':
      return `(${formatDependency(rich.dep)})`;
    case 'if':
    case 'unless': {
      const otherwise = rich.otherwise === undefined ? '' : ` else ${operand(rich.otherwise)}`;
      return `(${operand(rich.then)} ${rich.op} ${operand(rich.condition)}${otherwise})`;
    }
    default:
      return `(${rich.operands.map(operand).join(` ${rich.op} `)})`;
  }
}

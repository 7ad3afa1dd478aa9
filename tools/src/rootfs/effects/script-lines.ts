/**
 * Just enough of the shell to read the simple commands of install scripts: one command per
 * line, literal words (quotes allowed), output thrown away (`2>/dev/null`, `>/dev/null 2>&1`),
 * failures ignored (`|| true`). Anything else (variables, pipes, substitutions, control flow)
 * is not understood, so the line is not claimed and the script is reported as not run.
 */

export interface ScriptLine {
  /** Zero-based line number in the script body. */
  readonly index: number;
  readonly text: string;
}

const INERT = [/^exit(\s+0)?\s*;?$/, /^(true|:)\s*;?$/, /^set\s+-[eux]+\s*;?$/];

/** The lines that do something: not blank, not comments or the shebang, not `exit 0`. */
export function scriptLines(body: string): ScriptLine[] {
  return body.split('\n').flatMap((raw, index) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#') || INERT.some((pattern) => pattern.test(text)))
      return [];
    return [{ index, text }];
  });
}

const METACHARACTERS = new Set([...'|&;<>$`\\(){}*?[]~']);

class Words {
  readonly words: string[] = [];
  #word: string | undefined;

  add(text: string): void {
    this.#word = (this.#word ?? '') + text;
  }

  end(): void {
    if (this.#word !== undefined) this.words.push(this.#word);
    this.#word = undefined;
  }

  get inWord(): boolean {
    return this.#word !== undefined;
  }
}

/** Length of a harmless redirection at `rest` (`2>/dev/null`, `>/dev/null`, `2>&1`), or 0. */
function redirection(rest: string, atWordStart: boolean): number {
  if (!atWordStart) return 0;
  const match = /^(?:[12]?>|&>)\s*(?:\/dev\/null|&[12])(?=\s|$)/.exec(rest);
  return match === null ? 0 : match[0].length;
}

/**
 * The words of one simple command line, or undefined when the line is more than that. A
 * trailing `;` and `|| true` / `|| :` are accepted.
 */
export function shellWords(line: string): string[] | undefined {
  const text = line.replace(/\s*(\|\|\s*(true|:))?\s*;?\s*$/, '');
  const words = new Words();
  for (let at = 0; at < text.length;) {
    const char = text[at] as string;
    const skip = redirection(text.slice(at), !words.inWord);
    if (skip > 0) {
      at += skip;
    } else if (char === "'" || char === '"') {
      const close = text.indexOf(char, at + 1);
      const quoted = text.slice(at + 1, close);
      if (close < 0 || (char === '"' && /[$`\\]/.test(quoted))) return undefined;
      words.add(quoted);
      at = close + 1;
    } else if (/\s/.test(char)) {
      words.end();
      at += 1;
    } else if (METACHARACTERS.has(char) || (char === '#' && !words.inWord)) {
      return undefined;
    } else {
      words.add(char);
      at += 1;
    }
  }
  words.end();
  return words.words.length === 0 ? undefined : words.words;
}

/** getopt-style parse of short options (clustered, argument attached or next) and long ones. */
export function parseOptions(
  args: readonly string[],
  short: Readonly<Record<string, 'flag' | 'value'>>,
  long: Readonly<Record<string, string>>,
): { options: Map<string, string>; operands: string[] } | undefined {
  const options = new Map<string, string>();
  const operands: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--') {
      operands.push(...args.slice(index + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name = '', attached] = arg.slice(2).split(/=(.*)/s, 2);
      const letter = long[name];
      if (letter === undefined) return undefined;
      if (short[letter] === 'flag') options.set(letter, '');
      else {
        const value = attached ?? args[(index += 1)];
        if (value === undefined) return undefined;
        options.set(letter, value);
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let at = 1; at < arg.length; at += 1) {
        const letter = arg[at] as string;
        const kind = short[letter];
        if (kind === undefined) return undefined;
        if (kind === 'flag') {
          options.set(letter, '');
          continue;
        }
        const value = at + 1 < arg.length ? arg.slice(at + 1) : args[(index += 1)];
        if (value === undefined) return undefined;
        options.set(letter, value);
        break;
      }
    } else {
      operands.push(arg);
    }
  }
  return { options, operands };
}

const IF_LINE = /^if\s+(.+?)\s*;?\s*then$/;
/** Conditions that only look: `[ … ]`, `test …`, `getent passwd|group NAME`, `command -v NAME`. */
const LOOKING = [
  /^\[\s.*\s\]$/,
  /^test\s.+$/,
  /^getent\s+(passwd|group)\s+\S+(\s+(>|[12]>|&>)\s*\/dev\/null)?(\s+2>&1)?$/,
  /^command\s+-v\s+\S+(\s+(>|[12]>|&>)\s*\/dev\/null)?(\s+2>&1)?$/,
];

function harmlessCondition(condition: string): boolean {
  return condition
    .split(/&&|\|\|/)
    .map((part) => part.trim().replace(/^!\s*/, ''))
    .every((part) => LOOKING.some((pattern) => pattern.test(part)));
}

interface Block {
  readonly lines: number[];
  ok: boolean;
}

/**
 * The claimed lines plus the `if`/`else`/`fi` lines of each block whose condition only looks
 * (tests, getent, command -v) and whose every line is claimed: such a block does nothing but
 * what the effects stand in for. `%systemd_post`'s `if [ $1 -eq 1 ] …; then … fi` is one.
 */
export function claimBlocks(body: string, claimed: ReadonlySet<number>): number[] {
  const result = new Set(claimed);
  const stack: Block[] = [];
  for (const { index, text } of scriptLines(body)) {
    const top = stack.at(-1);
    const opened = IF_LINE.exec(text);
    if (opened !== null) {
      stack.push({ lines: [index], ok: harmlessCondition(opened[1] as string) });
    } else if (top !== undefined && /^else\s*;?$/.test(text)) {
      top.lines.push(index);
    } else if (top !== undefined && /^fi\s*;?$/.test(text)) {
      stack.pop();
      top.lines.push(index);
      if (top.ok) for (const line of top.lines) result.add(line);
      const parent = stack.at(-1);
      if (parent !== undefined && !top.ok) parent.ok = false;
    } else if (!claimed.has(index)) {
      for (const block of stack) block.ok = false;
    }
  }
  return [...result].sort((a, b) => a - b);
}

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

import type { PackageScript } from '../../packages/model.ts';
import { claimBlocks, scriptLines, shellWords } from './script-lines.ts';

/** What a package's own sysusers.d files declare. */
export interface Declarations {
  readonly users: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  /** `user:group` of its `m` lines. */
  readonly members: ReadonlySet<string>;
}

/** Physical lines joined where they end in `\`, each with the numbers of its lines. */
function logicalLines(body: string): { indexes: number[]; text: string }[] {
  const wanted = new Set(scriptLines(body).map(({ index }) => index));
  const raw = body.split('\n');
  const out: { indexes: number[]; text: string }[] = [];
  let pending: { indexes: number[]; text: string } | undefined;
  raw.forEach((line, index) => {
    if (pending === undefined && !wanted.has(index)) return;
    const text = line.trim();
    const joined = pending ?? { indexes: [], text: '' };
    joined.indexes.push(index);
    if (text.endsWith('\\')) {
      joined.text += `${text.slice(0, -1)} `;
      pending = joined;
      return;
    }
    joined.text += text;
    out.push(joined);
    pending = undefined;
  });
  return out;
}

const base = (word: string | undefined) => word?.slice(word.lastIndexOf('/') + 1);

/** `groupadd … -r NAME`, `useradd … -r NAME`, `usermod -a -G GROUP USER`: what it creates. */
function accountCommand(words: readonly string[]): { kind: string; name: string } | undefined {
  const program = base(words[0]);
  const name = words.at(-1);
  if (name === undefined || words.length < 3) return undefined;
  if ((program === 'groupadd' || program === 'useradd') && words.includes('-r')) {
    return { kind: program === 'groupadd' ? 'group' : 'user', name };
  }
  if (program === 'usermod' && words.length === 5 && words[1] === '-a' && words[2] === '-G') {
    return { kind: 'member', name: `${name}:${words[3] as string}` };
  }
  return undefined;
}

function declares(declared: Declarations, kind: string, name: string): boolean {
  if (kind === 'group') return declared.groups.has(name);
  if (kind === 'user') return declared.users.has(name);
  return declared.members.has(name);
}

/**
 * A line of `%sysusers_create_compat`: `getent group X >/dev/null || groupadd -r … X || :`,
 * `getent passwd X … || useradd -r … X`, a bare useradd/groupadd/usermod of the if-blocks;
 * true when the account is one the package's sysusers.d files declare.
 */
function compatLine(text: string, declared: Declarations): boolean {
  const parts = text.replace(/\s*\|\|\s*(:|true)\s*;?$/, '').split(/\s*\|\|\s*/);
  const command = shellWords(parts.at(-1) ?? '');
  const made = command === undefined ? undefined : accountCommand(command);
  if (made === undefined || !declares(declared, made.kind, made.name)) return false;
  if (parts.length === 1) return true;
  const lookup = parts.length === 2 ? shellWords(parts[0] as string) : undefined;
  return (
    lookup?.length === 3 &&
    lookup[0] === 'getent' &&
    lookup[1] === (made.kind === 'group' ? 'group' : 'passwd') &&
    lookup[2] === made.name
  );
}

/** `systemd-sysusers …`, with a here-document (`%sysusers_create_package`) up to its end. */
function sysusersCall(text: string): { heredoc?: string } | undefined {
  if (base(text.split(/\s+/)[0]) !== 'systemd-sysusers') return undefined;
  const heredoc = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(text);
  return heredoc === null ? {} : { heredoc: heredoc[2] as string };
}

/** The lines of an install script that systemd-sysusers (or its compat expansion) stands for. */
export function sysusersClaim(script: PackageScript, declared: Declarations): number[] {
  const claimed = new Set<number>();
  const raw = script.body.split('\n');
  for (const { indexes, text } of logicalLines(script.body)) {
    if (indexes.some((index) => claimed.has(index))) continue;
    const call = sysusersCall(text);
    if (call !== undefined) {
      for (const index of indexes) claimed.add(index);
      if (call.heredoc === undefined) continue;
      for (let index = (indexes.at(-1) as number) + 1; index < raw.length; index += 1) {
        claimed.add(index);
        if ((raw[index] as string).trim() === call.heredoc) break;
      }
    } else if (compatLine(text, declared)) {
      for (const index of indexes) claimed.add(index);
    }
  }
  const lines = new Set(scriptLines(script.body).map(({ index }) => index));
  return claimBlocks(script.body, claimed).filter((index) => lines.has(index));
}

/**
 * The lines of sysusers.d files: `u NAME ID GECOS HOME SHELL`, `g NAME ID`, `m USER GROUP`,
 * `r - FROM-TO`. Fields are separated by blanks, may be quoted, and `-` leaves one unset.
 */

export interface Where {
  readonly file: string;
  readonly line: number;
}

export interface UserLine {
  readonly kind: 'user';
  readonly name: string;
  readonly uid?: number;
  /** `u NAME /path`: the id of a file's owner. */
  readonly idPath?: string;
  readonly gid?: number;
  /** `u NAME UID:GROUP`: an existing or declared group. */
  readonly groupName?: string;
  readonly gecos?: string;
  readonly home?: string;
  readonly shell?: string;
  readonly where: Where;
}

export interface GroupLine {
  readonly kind: 'group';
  readonly name: string;
  readonly gid?: number;
  readonly idPath?: string;
  readonly where: Where;
}

export interface MemberLine {
  readonly kind: 'member';
  readonly user: string;
  readonly group: string;
  readonly where: Where;
}

export interface RangeLine {
  readonly kind: 'range';
  readonly from: number;
  readonly to: number;
  readonly where: Where;
}

export type SysusersLine = UserLine | GroupLine | MemberLine | RangeLine;

export type ParsedLine =
  | { readonly ok: true; readonly line: SysusersLine }
  | { readonly ok: false; readonly problem: string };

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}$/;
const ID = /^\d{1,10}$/;
const MAX_ID = 0xfffffffe;

/** Blank-separated fields; `"…"` and `'…'` quote, `\` escapes the next character. */
export function fields(text: string): string[] | undefined {
  const out: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at] as string;
    if (char === '\\' && quote !== "'") {
      const next = text[at + 1];
      if (next === undefined) return undefined;
      word = (word ?? '') + next;
      at += 1;
    } else if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else word = (word ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote !== undefined) return undefined;
  if (word !== undefined) out.push(word);
  return out;
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value === '-' || value === '' ? undefined : value;
}

function id(text: string): number | undefined {
  return ID.test(text) && Number(text) <= MAX_ID ? Number(text) : undefined;
}

type IdField =
  { uid?: number; idPath?: string; gid?: number; groupName?: string } | { problem: string };

function userId(text: string | undefined): IdField {
  const value = optional(text);
  if (value === undefined) return {};
  if (value.startsWith('/')) return { idPath: value };
  const [uidText = '', groupText] = value.split(':', 2);
  const uid = uidText === '-' ? undefined : id(uidText);
  if (uid === undefined && uidText !== '-') return { problem: `invalid user id ${value}` };
  const ids = uid === undefined ? {} : { uid };
  if (groupText === undefined) return ids;
  const gid = id(groupText);
  if (gid !== undefined) return { ...ids, gid };
  if (NAME.test(groupText)) return { ...ids, groupName: groupText };
  return { problem: `invalid group ${groupText}` };
}

function parseUser(name: string, rest: readonly string[], where: Where): ParsedLine {
  const ids = userId(rest[0]);
  if ('problem' in ids) return { ok: false, problem: ids.problem };
  const text = (index: number, field: string) => {
    const value = optional(rest[index]);
    return value === undefined ? {} : { [field]: value };
  };
  const line: UserLine = {
    kind: 'user',
    name,
    ...ids,
    ...text(1, 'gecos'),
    ...text(2, 'home'),
    ...text(3, 'shell'),
    where,
  };
  return { ok: true, line };
}

function parseGroup(name: string, idText: string | undefined, where: Where): ParsedLine {
  const value = optional(idText);
  if (value === undefined) return { ok: true, line: { kind: 'group', name, where } };
  if (value.startsWith('/'))
    return { ok: true, line: { kind: 'group', name, idPath: value, where } };
  const gid = id(value);
  if (gid === undefined) return { ok: false, problem: `invalid group id ${value}` };
  return { ok: true, line: { kind: 'group', name, gid, where } };
}

function parseRange(name: string, value: string | undefined, where: Where): ParsedLine {
  const match = value === undefined ? null : /^(\d+)(?:-(\d+))?$/.exec(value);
  if (name !== '-' || match === null) return { ok: false, problem: 'invalid range line' };
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (from > to || to > MAX_ID) return { ok: false, problem: `invalid range ${value}` };
  return { ok: true, line: { kind: 'range', from, to, where } };
}

/** One line of a sysusers.d file; undefined for blank lines and comments. */
export function parseSysusersLine(text: string, where: Where): ParsedLine | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const words = fields(trimmed);
  if (words === undefined) return { ok: false, problem: 'unbalanced quotes' };
  const [type = '', name = '', ...rest] = words;
  if (words.some((word) => word.includes('%'))) {
    return { ok: false, problem: 'specifiers (%) are not supported' };
  }
  if (type === 'r') return parseRange(name, rest[0], where);
  if (!['u', 'u!', 'g', 'm'].includes(type)) {
    return { ok: false, problem: `unknown line type ${JSON.stringify(type)}, ignored` };
  }
  if (!NAME.test(name)) return { ok: false, problem: `invalid name ${JSON.stringify(name)}` };
  if (type === 'g') return parseGroup(name, rest[0], where);
  if (type === 'm') {
    const group = rest[0] ?? '';
    if (!NAME.test(group)) return { ok: false, problem: `invalid group ${JSON.stringify(group)}` };
    return { ok: true, line: { kind: 'member', user: name, group, where } };
  }
  return parseUser(name, rest, where);
}

/** `name = value` pairs of /etc/login.defs, as numbers where they are. */
export function loginDefs(text: string | undefined): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const match = /^\s*([A-Z_]+)\s+(\d+)\s*(#.*)?$/.exec(line);
    if (match !== null) values.set(match[1] as string, Number(match[2]));
  }
  return values;
}

import { parseOptions, shellWords } from './script-lines.ts';

/** `addgroup [-S] [-g GID] GROUP`: a new group. */
export interface AddGroupCommand {
  readonly kind: 'addgroup';
  readonly name: string;
  readonly system: boolean;
  readonly gid?: number;
}

/** `addgroup USER GROUP` (or `adduser USER GROUP`): an existing user joins an existing group. */
export interface AddMemberCommand {
  readonly kind: 'add-member';
  readonly user: string;
  readonly group: string;
}

/** `adduser -S -D [-H] [-h HOME] [-s SHELL] [-G GROUP] [-g GECOS] [-u UID] [-k SKEL] USER`. */
export interface AddUserCommand {
  readonly kind: 'adduser';
  readonly name: string;
  readonly system: boolean;
  readonly uid?: number;
  readonly group?: string;
  readonly home?: string;
  readonly shell?: string;
  readonly gecos?: string;
  /** -D: no password is asked for (implied by -S). */
  readonly noPassword: boolean;
  /** -H: the home folder is not created. */
  readonly noHome: boolean;
  readonly skel?: string;
}

export type AccountCommand = AddGroupCommand | AddMemberCommand | AddUserCommand;

const APPLETS = new Set(['addgroup', 'adduser']);

const ADDGROUP_SHORT = { g: 'value', S: 'flag' } as const;
const ADDGROUP_LONG = { gid: 'g', system: 'S' };
const ADDUSER_SHORT = {
  h: 'value',
  g: 'value',
  s: 'value',
  G: 'value',
  u: 'value',
  k: 'value',
  D: 'flag',
  S: 'flag',
  H: 'flag',
} as const;
const ADDUSER_LONG = {
  home: 'h',
  gecos: 'g',
  shell: 's',
  ingroup: 'G',
  'disabled-password': 'D',
  'empty-password': 'D',
  system: 'S',
  'no-create-home': 'H',
  uid: 'u',
  skel: 'k',
};

function id(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) && Number(value) <= 0xfffffffe ? Number(value) : null;
}

function appletOf(words: readonly string[]): { applet: string; args: string[] } | undefined {
  const base = (word: string | undefined) => word?.slice(word.lastIndexOf('/') + 1);
  const first = base(words[0]);
  if (first === 'busybox' && APPLETS.has(base(words[1]) ?? '')) {
    return { applet: base(words[1]) as string, args: words.slice(2) };
  }
  return first !== undefined && APPLETS.has(first)
    ? { applet: first, args: words.slice(1) }
    : undefined;
}

function addGroup(args: readonly string[]): AccountCommand | undefined {
  const parsed = parseOptions(args, ADDGROUP_SHORT, ADDGROUP_LONG);
  if (parsed === undefined) return undefined;
  const { options, operands } = parsed;
  const [first, second] = operands;
  if (first === undefined || operands.length > 2) return undefined;
  if (second !== undefined) {
    return options.has('g') ? undefined : { kind: 'add-member', user: first, group: second };
  }
  const gid = id(options.get('g'));
  if (gid === null) return undefined;
  return {
    kind: 'addgroup',
    name: first,
    system: options.has('S'),
    ...(gid === undefined ? {} : { gid }),
  };
}

function addUser(args: readonly string[]): AccountCommand | undefined {
  const parsed = parseOptions(args, ADDUSER_SHORT, ADDUSER_LONG);
  if (parsed === undefined) return undefined;
  const { options, operands } = parsed;
  const [name, second] = operands;
  if (name === undefined || operands.length > 2) return undefined;
  if (options.size === 0 && second !== undefined)
    return { kind: 'add-member', user: name, group: second };
  const uid = id(options.get('u'));
  if (uid === null) return undefined;
  const text = (letter: string, field: string) => {
    const value = options.get(letter);
    return value === undefined ? {} : { [field]: value };
  };
  return {
    kind: 'adduser',
    name,
    system: options.has('S'),
    ...(uid === undefined ? {} : { uid }),
    ...text('G', 'group'),
    ...text('h', 'home'),
    ...text('s', 'shell'),
    ...text('g', 'gecos'),
    ...text('k', 'skel'),
    noPassword: options.has('D') || options.has('S'),
    noHome: options.has('H'),
  };
}

/** The account command on a script line, in busybox's syntax, or undefined for anything else. */
export function parseAccountCommand(line: string): AccountCommand | undefined {
  const words = shellWords(line);
  const call = words === undefined ? undefined : appletOf(words);
  if (call === undefined) return undefined;
  return call.applet === 'addgroup' ? addGroup(call.args) : addUser(call.args);
}

import type { AccountFiles } from '../account-files.ts';
import type { ImageTree } from '../image-tree.ts';
import type { ImageNode } from '../nodes.ts';
import { isWithin, parentPath } from '../paths.ts';
import type {
  AccountCommand,
  AddGroupCommand,
  AddMemberCommand,
  AddUserCommand,
} from './account-commands.ts';

/** Busybox's id ranges (FIRST_SYSTEM_ID, LAST_SYSTEM_ID, LAST_ID) as Alpine builds it. */
const FIRST_SYSTEM_ID = 100;
const LAST_SYSTEM_ID = 999;
const LAST_ID = 60000;
const SECONDS_PER_DAY = 86400;
/** Alpine's busybox gives system users this shell unless -s says otherwise. */
const SYSTEM_SHELL = '/sbin/nologin';

export interface AccountContext {
  readonly tree: ImageTree;
  readonly accounts: AccountFiles;
  /** The effect id, as the origin of what it creates. */
  readonly origin: string;
}

/** What a command did, or why it failed as busybox would have (the scripts ignore failures). */
export interface AccountOutcome {
  readonly ok: boolean;
  readonly message: string;
}

const done = (message: string): AccountOutcome => ({ ok: true, message });
const failed = (message: string): AccountOutcome => ({ ok: false, message });

/** The first free id from `start`, or undefined when `fixed` is taken or the range is full. */
function freeId(start: number, last: number, fixed: boolean, taken: (id: number) => boolean) {
  for (let id = start; ; id += 1) {
    if (!taken(id)) return id;
    if (fixed || id >= last) return undefined;
  }
}

function addGroup(context: AccountContext, command: AddGroupCommand): AccountOutcome {
  const { accounts } = context;
  if (accounts.group(command.name) !== undefined) return failed(`group '${command.name}' in use`);
  const used = new Set(accounts.groups().map((group) => group.gid));
  const start = command.gid ?? (command.system ? FIRST_SYSTEM_ID : LAST_SYSTEM_ID + 1);
  const last = command.system ? LAST_SYSTEM_ID : LAST_ID;
  const gid = freeId(start, last, command.gid !== undefined, (id) => used.has(id));
  if (gid === undefined)
    return failed(command.gid === undefined ? 'no gids left' : `gid '${command.gid}' in use`);
  accounts.addGroup({ name: command.name, gid, members: [] });
  return done(`group ${command.name} (gid ${gid}) added`);
}

function addMember(context: AccountContext, command: AddMemberCommand): AccountOutcome {
  const { accounts } = context;
  if (accounts.user(command.user) === undefined) return failed(`unknown user ${command.user}`);
  const group = accounts.group(command.group);
  if (group === undefined) return failed(`unknown group ${command.group}`);
  if (group.members.includes(command.user))
    return done(`${command.user} already in group ${command.group}`);
  accounts.addMember(command.group, command.user);
  return done(`${command.user} added to group ${command.group}`);
}

function withOwner(
  node: Exclude<ImageNode, { kind: 'hardlink' }>,
  uid: number,
  gid: number,
  mode: number,
) {
  const { owner: _owner, ...rest } = node;
  return { ...rest, uid, gid, mode };
}

/** Copies /etc/skel into a new home, owned by the user, as busybox's copy_file + chown -R. */
function copySkeleton(
  context: AccountContext,
  skel: string,
  home: string,
  uid: number,
  gid: number,
): number {
  const { tree } = context;
  const source = tree.lookup(skel);
  if (source?.node.kind !== 'directory') return 0;
  let copied = 0;
  for (const path of tree.paths()) {
    const node = tree.get(path);
    if (
      path === source.path ||
      !isWithin(path, source.path) ||
      node === undefined ||
      node.kind === 'hardlink'
    )
      continue;
    tree.set(`${home}${path.slice(source.path.length)}`, {
      ...withOwner(node, uid, gid, node.mode),
      origin: context.origin,
    });
    copied += 1;
  }
  return copied;
}

/** mkdir HOME 0755 (its parent must exist), copy the skeleton, chown, chmod 02755. */
function makeHome(
  context: AccountContext,
  command: AddUserCommand,
  home: string,
  uid: number,
  gid: number,
): string {
  const { tree } = context;
  const existing = tree.lookup(home);
  if (existing !== undefined) {
    if (existing.node.kind !== 'directory')
      return `; ${home} exists and is not a folder, left as it is`;
    tree.set(existing.path, withOwner(existing.node, uid, gid, 0o2755));
    return `; existing home ${existing.path} given to ${command.name}`;
  }
  const parent = tree.lookup(parentPath(home));
  if (parent?.node.kind !== 'directory')
    return `; home ${home} not created: its parent folder is missing`;
  const path = `${parent.path === '/' ? '' : parent.path}/${home.slice(home.lastIndexOf('/') + 1)}`;
  tree.set(path, {
    kind: 'directory',
    mode: 0o2755,
    uid,
    gid,
    mtime: tree.epoch,
    xattrs: {},
    origin: context.origin,
    implicit: false,
  });
  const copied = copySkeleton(context, command.skel ?? '/etc/skel', path, uid, gid);
  return `; home ${path} created${copied > 0 ? ` with ${copied} entries from the skeleton` : ''}`;
}

function groupIdOf(accounts: AccountFiles, name: string): number | undefined {
  const group = accounts.group(name);
  if (group !== undefined) return group.gid;
  return /^\d+$/.test(name) ? Number(name) : undefined;
}

function addUser(context: AccountContext, command: AddUserCommand): AccountOutcome {
  const { accounts, tree } = context;
  const { name, system } = command;
  if (accounts.user(name) !== undefined) return failed(`user '${name}' in use`);
  const useGroup = command.group ?? (system ? 'nogroup' : undefined);
  const groupId = useGroup === undefined ? undefined : groupIdOf(accounts, useGroup);
  if (useGroup !== undefined && groupId === undefined) return failed(`unknown group ${useGroup}`);
  const uids = new Set(accounts.users().map((user) => user.uid));
  const gids = new Set(accounts.groups().map((group) => group.gid));
  const start = command.uid ?? (system ? FIRST_SYSTEM_ID : LAST_SYSTEM_ID + 1);
  const uid = freeId(
    start,
    system ? LAST_SYSTEM_ID : LAST_ID,
    command.uid !== undefined,
    (id) => uids.has(id) || (groupId === undefined && gids.has(id)),
  );
  if (uid === undefined)
    return failed(command.uid === undefined ? 'no uids left' : `uid '${command.uid}' in use`);
  const gid = groupId ?? uid;
  if (groupId === undefined && accounts.group(name) !== undefined)
    return failed(`group '${name}' in use`);
  const home = command.home ?? `/home/${name}`;
  const shell =
    command.shell ?? (system ? SYSTEM_SHELL : accounts.user('root')?.shell || '/bin/sh');
  accounts.addUser({ name, uid, gid, gecos: command.gecos ?? 'Linux User,,,', home, shell });
  accounts.addShadow(name, `!:${Math.floor(tree.epoch / SECONDS_PER_DAY)}:0:99999:7:::`);
  if (useGroup === undefined) accounts.addGroup({ name, gid, members: [] });
  else if (accounts.group(useGroup) !== undefined) accounts.addMember(useGroup, name);
  const homeNote = command.noHome ? '' : makeHome(context, command, home, uid, gid);
  const password = command.noPassword ? '' : '; no password set (busybox would ask for one)';
  return done(`user ${name} (uid ${uid}, gid ${gid}) added${homeNote}${password}`);
}

/** Applies one command to the image's accounts (and home folders) the way busybox does. */
export function applyAccountCommand(
  context: AccountContext,
  command: AccountCommand,
): AccountOutcome {
  switch (command.kind) {
    case 'addgroup':
      return addGroup(context, command);
    case 'add-member':
      return addMember(context, command);
    case 'adduser':
      return addUser(context, command);
  }
}

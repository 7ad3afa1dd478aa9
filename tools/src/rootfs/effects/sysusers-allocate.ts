import type { AccountFiles } from '../account-files.ts';
import type { GroupLine, MemberLine, SysusersLine, UserLine, Where } from './sysusers-config.ts';

export interface IdLimits {
  /** The system id range users and groups are allocated from (SYS_UID_MIN..SYS_UID_MAX). */
  readonly uidMin: number;
  readonly uidMax: number;
  /** Allocated group ids also stay in SYS_GID_MIN..SYS_GID_MAX. */
  readonly gidMin: number;
  readonly gidMax: number;
}

export interface SysusersOutcome {
  readonly groups: number;
  readonly users: number;
  readonly members: number;
  readonly notes: readonly string[];
}

const NOLOGIN = '/usr/sbin/nologin';

function at(where: Where | undefined): string {
  return where === undefined ? 'implicit' : `${where.file}:${where.line}`;
}

type Declared<T> = Map<string, T>;

/** The declarations of all files, the first line for a name winning as in systemd-sysusers. */
function collect(lines: readonly SysusersLine[], notes: string[]) {
  const users: Declared<UserLine | { kind: 'user'; name: string; where?: undefined }> = new Map();
  const groups: Declared<GroupLine | { kind: 'group'; name: string; where?: undefined }> =
    new Map();
  const members = new Map<string, MemberLine[]>();
  const ranges: { from: number; to: number }[] = [];
  for (const line of lines) {
    if (line.kind === 'range') ranges.push(line);
    else if (line.kind === 'member') {
      const list = members.get(line.group) ?? [];
      if (!list.some((member) => member.user === line.user)) list.push(line);
      members.set(line.group, list);
    } else {
      const table: Map<string, { where?: Where }> = line.kind === 'user' ? users : groups;
      const first = table.get(line.name);
      if (first === undefined) table.set(line.name, line);
      else if (JSON.stringify({ ...first, where: 0 }) !== JSON.stringify({ ...line, where: 0 })) {
        notes.push(
          `${at(line.where)}: ${line.kind} ${line.name} is declared differently at ${at(first.where)}; ignored`,
        );
      }
    }
  }
  // Users and groups that only `m` lines name are created with default settings.
  for (const [group, list] of members) {
    for (const { user } of list)
      if (!users.has(user)) users.set(user, { kind: 'user', name: user });
    if (!users.has(group) && !groups.has(group)) groups.set(group, { kind: 'group', name: group });
  }
  return { users, groups, members, ranges };
}

/**
 * Creates the users and groups of sysusers.d lines the way systemd-sysusers does: accounts
 * that exist are kept; groups (declared, then those of users) before users; a suggested id that
 * is taken is dropped; a user's group gets the user's id when free and the reverse; free ids
 * are searched downwards from the top of the range, one search shared by users and groups.
 */
export class SysusersAllocator {
  readonly #accounts: AccountFiles;
  readonly #limits: IdLimits;
  readonly #days: number;
  readonly #notes: string[] = [];
  readonly #dbUsers = new Map<string, number>();
  readonly #dbUids = new Map<number, string>();
  readonly #dbGroups = new Map<string, number>();
  readonly #dbGids = new Map<number, string>();
  readonly #newUids = new Map<number, string>();
  readonly #newGids = new Map<number, string>();
  readonly #newGroups = new Map<string, number>();
  #ranges: { from: number; to: number }[] = [];
  #cursor: number | undefined;
  #counts = { groups: 0, users: 0, members: 0 };

  constructor(accounts: AccountFiles, limits: IdLimits, epoch: number) {
    this.#accounts = accounts;
    this.#limits = limits;
    this.#days = Math.floor(epoch / 86_400);
    for (const user of accounts.users()) {
      if (!this.#dbUsers.has(user.name)) this.#dbUsers.set(user.name, user.uid);
      if (!this.#dbUids.has(user.uid)) this.#dbUids.set(user.uid, user.name);
    }
    for (const group of accounts.groups()) {
      if (!this.#dbGroups.has(group.name)) this.#dbGroups.set(group.name, group.gid);
      if (!this.#dbGids.has(group.gid)) this.#dbGids.set(group.gid, group.name);
    }
  }

  run(lines: readonly SysusersLine[]): SysusersOutcome {
    const { users, groups, members, ranges } = collect(lines, this.#notes);
    this.#ranges =
      ranges.length > 0 ? ranges : [{ from: this.#limits.uidMin, to: this.#limits.uidMax }];
    for (const group of groups.values()) this.#addGroup(group.name, group);
    for (const user of users.values()) this.#processUser(user);
    for (const [group, list] of members) {
      for (const member of list) this.#addMember(member.user, group);
    }
    return { ...this.#counts, notes: this.#notes };
  }

  #uidIsOk(uid: number, name: string, checkGroups: boolean): boolean {
    if (this.#newUids.has(uid) || this.#dbUids.has(uid)) return false;
    const groups = [this.#newGids.get(uid), this.#dbGids.get(uid)];
    return !checkGroups || groups.every((group) => group === undefined || group === name);
  }

  #gidIsOk(gid: number, name: string, checkUsers: boolean): boolean {
    if (this.#newGids.has(gid) || this.#dbGids.has(gid)) return false;
    const users = [this.#newUids.get(gid), this.#dbUids.get(gid)];
    return !checkUsers || users.every((user) => user === undefined || user === name);
  }

  /** The next free id below the last one handed out, within the ranges. */
  #nextLower(): number | undefined {
    let best: number | undefined;
    for (const { from, to } of this.#ranges) {
      const below = this.#cursor === undefined ? to : Math.min(to, this.#cursor - 1);
      if (below >= from && (best === undefined || below > best)) best = below;
    }
    if (best !== undefined) this.#cursor = best;
    return best;
  }

  #allocate(ok: (id: number) => boolean): number | undefined {
    for (let id = this.#nextLower(); id !== undefined; id = this.#nextLower()) {
      if (ok(id)) return id;
    }
    return undefined;
  }

  #unsupportedPath(kind: string, name: string, path: string, where?: Where): void {
    this.#notes.push(
      `${at(where)}: ${kind} ${name} takes its id from the owner of ${path}, which is not supported: a free id is allocated`,
    );
  }

  /** The group `name` (of a `g` line or of a user): its gid, created when missing. */
  #addGroup(
    name: string,
    hints: { gid?: number; uid?: number; idPath?: string; where?: Where },
  ): number | undefined {
    const existing = this.#newGroups.get(name) ?? this.#dbGroups.get(name);
    if (existing !== undefined) return existing;
    let gid = hints.gid;
    if (gid !== undefined && !this.#gidIsOk(gid, name, false)) {
      this.#notes.push(`${at(hints.where)}: group id ${gid} for ${name} is taken: allocating one`);
      gid = undefined;
    }
    if (gid === undefined && hints.uid !== undefined && this.#gidIsOk(hints.uid, name, true)) {
      gid = hints.uid;
    }
    if (gid === undefined && hints.idPath !== undefined) {
      this.#unsupportedPath('group', name, hints.idPath, hints.where);
    }
    gid ??= this.#allocate(
      (id) =>
        id >= this.#limits.gidMin && id <= this.#limits.gidMax && this.#gidIsOk(id, name, true),
    );
    if (gid === undefined) {
      this.#notes.push(`${at(hints.where)}: no free group id for ${name}; not created`);
      return undefined;
    }
    this.#newGids.set(gid, name);
    this.#newGroups.set(name, gid);
    this.#accounts.addGroup({ name, gid, members: [] }, '!*');
    this.#counts.groups += 1;
    return gid;
  }

  #processUser(user: Partial<UserLine> & { name: string }): void {
    const where = user.where;
    let gid: number | undefined;
    let strict = false;
    if (user.gid === undefined) {
      const groupName = user.groupName ?? user.name;
      const declared = this.#newGroups.get(groupName);
      if (declared !== undefined) {
        gid = declared;
        strict = true;
      } else if (user.groupName !== undefined) {
        gid = this.#dbGroups.get(user.groupName);
        strict = true;
        if (gid === undefined) {
          this.#notes.push(`${at(where)}: group ${user.groupName} of user ${user.name} not found`);
          return;
        }
      }
    }
    if (gid === undefined && user.gid !== undefined) {
      // `u NAME UID:GID`: the group of that id must exist (or one named like the user).
      gid = this.#newGroups.get(user.name) ?? this.#dbGroups.get(user.name);
      if (gid === undefined && !this.#newGids.has(user.gid) && !this.#dbGids.has(user.gid)) {
        this.#notes.push(
          `${at(where)}: user ${user.name} needs the group id ${user.gid}, which no group has; not created`,
        );
        return;
      }
      gid ??= user.gid;
      strict = true;
    }
    gid ??= this.#addGroup(user.name, user);
    if (gid === undefined) return;
    this.#addUser(user, gid, strict);
  }

  #addUser(user: Partial<UserLine> & { name: string }, gid: number, strict: boolean): void {
    if (this.#dbUsers.has(user.name)) return;
    let uid = user.uid;
    if (uid !== undefined && !this.#uidIsOk(uid, user.name, !strict)) {
      this.#notes.push(
        `${at(user.where)}: user id ${uid} for ${user.name} is taken: allocating one`,
      );
      uid = undefined;
    }
    if (uid === undefined && user.idPath !== undefined) {
      this.#unsupportedPath('user', user.name, user.idPath, user.where);
    }
    if (uid === undefined && this.#uidIsOk(gid, user.name, true)) uid = gid;
    uid ??= this.#allocate((id) => this.#uidIsOk(id, user.name, true));
    if (uid === undefined) {
      this.#notes.push(`${at(user.where)}: no free user id for ${user.name}; not created`);
      return;
    }
    this.#newUids.set(uid, user.name);
    this.#accounts.addUser({
      name: user.name,
      uid,
      gid,
      gecos: user.gecos ?? '',
      home: user.home ?? '/',
      shell: user.shell ?? (uid === 0 ? '/bin/sh' : NOLOGIN),
    });
    this.#accounts.addShadow(user.name, `!*:${this.#days}::::::`);
    this.#counts.users += 1;
  }

  #addMember(user: string, group: string): void {
    const before = this.#accounts.group(group)?.members ?? [];
    if (before.includes(user)) return;
    if (this.#accounts.group(group) === undefined) return;
    this.#accounts.addMember(group, user);
    this.#counts.members += 1;
  }
}

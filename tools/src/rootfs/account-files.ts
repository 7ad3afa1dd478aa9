import { ImageBuildError } from './errors.ts';
import type { ImageTree } from './image-tree.ts';
import { rootMeta } from './nodes.ts';
import type { NodeMeta } from './nodes.ts';

export interface UserAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly gecos: string;
  readonly home: string;
  readonly shell: string;
}

export interface GroupAccount {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

type AccountFile = 'passwd' | 'group' | 'shadow' | 'gshadow';

const PATHS: Record<AccountFile, string> = {
  passwd: '/etc/passwd',
  group: '/etc/group',
  shadow: '/etc/shadow',
  gshadow: '/etc/gshadow',
};

/** Files created when a command needs them; the shadow files are only updated when present. */
const CREATED_WHEN_MISSING: readonly AccountFile[] = ['passwd', 'group'];

const ID = /^\d+$/;

function linesOf(bytes: Uint8Array | undefined): string[] | undefined {
  if (bytes === undefined) return undefined;
  const lines = Buffer.from(bytes).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function parseUser(line: string): UserAccount | undefined {
  const [name, , uid, gid, gecos, home, shell] = line.split(':');
  if (!name || uid === undefined || gid === undefined || !ID.test(uid) || !ID.test(gid))
    return undefined;
  return {
    name,
    uid: Number(uid),
    gid: Number(gid),
    gecos: gecos ?? '',
    home: home ?? '',
    shell: shell ?? '',
  };
}

function parseGroup(line: string): GroupAccount | undefined {
  const [name, , gid, members] = line.split(':');
  if (!name || gid === undefined || !ID.test(gid)) return undefined;
  return { name, gid: Number(gid), members: members ? members.split(',').filter(Boolean) : [] };
}

/**
 * The image's /etc/passwd, /etc/group, /etc/shadow and /etc/gshadow as lines, edited in place
 * the way busybox's update_passwd does: new records are appended, members added to the end of
 * a group's list, every other line kept byte for byte.
 */
export class AccountFiles {
  readonly #lines: Record<AccountFile, string[] | undefined>;
  readonly #changed = new Set<AccountFile>();

  private constructor(lines: Record<AccountFile, string[] | undefined>) {
    this.#lines = lines;
  }

  static async load(tree: ImageTree): Promise<AccountFiles> {
    const read = async (file: AccountFile) => linesOf(await tree.readFile(PATHS[file]));
    return new AccountFiles({
      passwd: await read('passwd'),
      group: await read('group'),
      shadow: await read('shadow'),
      gshadow: await read('gshadow'),
    });
  }

  users(): UserAccount[] {
    return (this.#lines.passwd ?? []).flatMap((line) => parseUser(line) ?? []);
  }

  groups(): GroupAccount[] {
    return (this.#lines.group ?? []).flatMap((line) => parseGroup(line) ?? []);
  }

  user(name: string): UserAccount | undefined {
    return this.users().find((user) => user.name === name);
  }

  group(name: string): GroupAccount | undefined {
    return this.groups().find((group) => group.name === name);
  }

  has(file: AccountFile): boolean {
    return this.#lines[file] !== undefined;
  }

  addUser(user: UserAccount): void {
    this.#append(
      'passwd',
      `${user.name}:x:${user.uid}:${user.gid}:${user.gecos}:${user.home}:${user.shell}`,
    );
  }

  /** `gshadowPassword` is busybox's `!` unless given (systemd-sysusers writes `!*`). */
  addGroup(group: GroupAccount, gshadowPassword = '!'): void {
    this.#append('group', `${group.name}:x:${group.gid}:${group.members.join(',')}`);
    if (this.has('gshadow')) {
      this.#append('gshadow', `${group.name}:${gshadowPassword}::${group.members.join(',')}`);
    }
  }

  /** `shadow` gets the line only when the image has one (busybox: "admin doesn't want it"). */
  addShadow(name: string, fields: string): void {
    if (this.has('shadow')) this.#append('shadow', `${name}:${fields}`);
  }

  addMember(groupName: string, user: string): void {
    this.#addMember('group', groupName, user, 3);
    if (this.has('gshadow')) this.#addMember('gshadow', groupName, user, 3);
  }

  /** Writes the files that changed back into the image, keeping each file's owner and mode. */
  async save(tree: ImageTree, origin: string): Promise<string[]> {
    const written: string[] = [];
    for (const file of [...this.#changed].sort()) {
      const path = PATHS[file];
      const existing = tree.fileAt(path);
      const text = `${(this.#lines[file] ?? []).join('\n')}\n`;
      const bytes = Buffer.from(text, 'utf8');
      if (existing === undefined) {
        const target = tree.place(
          path,
          origin,
          tree.epoch,
          (message) => new ImageBuildError('rootfs-accounts', `cannot create ${path}: ${message}`),
        ).path;
        await tree.writeFile(target, bytes, { ...rootMeta(tree.epoch), mode: 0o644 }, origin);
        written.push(target);
        continue;
      }
      const { node, path: target } = existing;
      const meta: NodeMeta = {
        mode: node.mode,
        uid: node.uid,
        gid: node.gid,
        mtime: tree.epoch,
        xattrs: node.xattrs,
      };
      await tree.writeFile(target, bytes, meta, node.origin, node.owner);
      written.push(target);
    }
    this.#changed.clear();
    return written;
  }

  #append(file: AccountFile, line: string): void {
    if (this.#lines[file] === undefined && !CREATED_WHEN_MISSING.includes(file)) return;
    const lines = (this.#lines[file] ??= []);
    lines.push(line);
    this.#changed.add(file);
  }

  #addMember(file: AccountFile, groupName: string, user: string, field: number): void {
    const lines = this.#lines[file];
    const index = lines?.findIndex((line) => line.split(':')[0] === groupName) ?? -1;
    if (lines === undefined || index < 0) return;
    const fields = (lines[index] as string).split(':');
    while (fields.length <= field) fields.push('');
    const members = (fields[field] ?? '').split(',').filter(Boolean);
    if (members.includes(user)) return;
    fields[field] = [...members, user].join(',');
    lines[index] = fields.join(':');
    this.#changed.add(file);
  }
}

import type { VerifiedPackage } from '../../backend/types.ts';
import { AccountFiles } from '../account-files.ts';
import type { ImageTree } from '../image-tree.ts';
import type { IdLimits } from './sysusers-allocate.ts';
import { SysusersAllocator } from './sysusers-allocate.ts';
import { loginDefs, parseSysusersLine } from './sysusers-config.ts';
import type { SysusersLine } from './sysusers-config.ts';
import { sysusersClaim } from './sysusers-scripts.ts';
import type { Declarations } from './sysusers-scripts.ts';
import { FolderIndex, configFiles, readText } from './tree-folders.ts';
import type { ScriptEffect } from './types.ts';

const ID = 'sysusers';

/**
 * Where systemd-sysusers looks, the first folder winning for a name. /run is empty in an image
 * and is left out.
 */
export const SYSUSERS_DIRS = [
  '/etc/sysusers.d',
  '/usr/local/lib/sysusers.d',
  '/usr/lib/sysusers.d',
];

/** What each package's own sysusers.d files declare, filled in by apply for claims. */
const declaredBy = new WeakMap<VerifiedPackage, Declarations>();

/** SYS_UID_MIN..SYS_UID_MAX (and the GID pair) of the image's /etc/login.defs, or 1..999. */
export async function idLimits(tree: ImageTree): Promise<IdLimits> {
  const defs = loginDefs(await readText(tree, '/etc/login.defs'));
  const value = (name: string, fallback: number) => defs.get(name) ?? fallback;
  return {
    uidMin: value('SYS_UID_MIN', 1),
    uidMax: value('SYS_UID_MAX', 999),
    gidMin: value('SYS_GID_MIN', 1),
    gidMax: value('SYS_GID_MAX', 999),
  };
}

async function readLines(tree: ImageTree, path: string, notes: string[]): Promise<SysusersLine[]> {
  const text = (await readText(tree, path)) ?? '';
  return text.split('\n').flatMap((raw, index) => {
    const parsed = parseSysusersLine(raw, { file: path, line: index + 1 });
    if (parsed === undefined) return [];
    if (!parsed.ok) {
      notes.push(`${path}:${index + 1}: ${parsed.problem}`);
      return [];
    }
    return [parsed.line];
  });
}

function declarations(lines: readonly SysusersLine[]): Declarations {
  const users = new Set<string>();
  const groups = new Set<string>();
  const members = new Set<string>();
  for (const line of lines) {
    if (line.kind === 'user') {
      users.add(line.name);
      groups.add(line.groupName ?? line.name);
    } else if (line.kind === 'group') groups.add(line.name);
    else if (line.kind === 'member') {
      members.add(`${line.user}:${line.group}`);
      users.add(line.user);
      groups.add(line.group);
    }
  }
  return { users, groups, members };
}

/** The sysusers.d files each package installed, whether or not /etc masks them. */
async function declaredPerPackage(
  tree: ImageTree,
  index: FolderIndex,
  packages: readonly VerifiedPackage[],
): Promise<void> {
  const byOrigin = new Map<string, SysusersLine[]>();
  for (const dir of SYSUSERS_DIRS) {
    for (const name of index.list(dir)?.names ?? []) {
      const path = `${dir}/${name}`;
      const origin = tree.fileAt(path)?.node.origin;
      if (!name.endsWith('.conf') || origin === undefined) continue;
      const lines = byOrigin.get(origin) ?? [];
      lines.push(...(await readLines(tree, path, [])));
      byOrigin.set(origin, lines);
    }
  }
  for (const pkg of packages) {
    declaredBy.set(pkg, declarations(byOrigin.get(pkg.package.name) ?? []));
  }
}

/**
 * `systemd-sysusers` done in TypeScript: the sysusers.d files of the image (an /etc file
 * masking the one of the same name in /usr/lib), in file-name order, create the users and
 * groups that do not exist yet and add the members, appended to /etc/passwd, /etc/group,
 * /etc/shadow and /etc/gshadow with locked passwords.
 */
export const sysusersEffect: ScriptEffect = {
  id: ID,
  describe: 'users and groups of sysusers.d (systemd-sysusers)',
  families: ['apk', 'rpm'],
  inits: ['systemd'],
  accounts: true,
  claims(pkg, script) {
    const declared = declaredBy.get(pkg);
    if (declared === undefined) return undefined;
    const lines = sysusersClaim(script, declared);
    return lines.length === 0 ? undefined : lines;
  },
  applies({ tree }) {
    return SYSUSERS_DIRS.some((dir) => tree.lookup(dir)?.node.kind === 'directory');
  },
  async apply({ tree, packages }) {
    const index = new FolderIndex(tree);
    await declaredPerPackage(tree, index, packages);
    const notes: string[] = [];
    const files = configFiles(tree, index, SYSUSERS_DIRS, '.conf');
    const lines: SysusersLine[] = [];
    for (const file of files) lines.push(...(await readLines(tree, file.path, notes)));
    const accounts = await AccountFiles.load(tree);
    const allocator = new SysusersAllocator(accounts, await idLimits(tree), tree.epoch);
    const outcome = allocator.run(lines);
    notes.push(...outcome.notes);
    const written = await accounts.save(tree, ID);
    notes.push(
      `${files.length} sysusers.d files: ${outcome.groups} groups and ${outcome.users} users created, ${outcome.members} memberships added`,
    );
    if (written.length > 0) {
      notes.push(`updated ${written.join(', ')}`);
      tree.note('account', '/etc/passwd', ID, notes.at(-2) as string);
    }
    return notes;
  },
};

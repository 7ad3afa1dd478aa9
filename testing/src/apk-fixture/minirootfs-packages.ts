import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '@levitate/tools';
import { minirootfsTarball } from '@levitate/tools';
import { field, listField, parseInstalledDb } from './installed-db.ts';
import type { InstalledPackage } from './installed-db.ts';
import { NO_RELATIONS } from './package-spec.ts';
import type { ApkEntry, ApkPackageSpec, ApkScript, ApkScriptPhase } from './package-spec.ts';

const PHASES: readonly ApkScriptPhase[] = [
  'pre-install',
  'post-install',
  'pre-upgrade',
  'post-upgrade',
  'pre-deinstall',
  'post-deinstall',
  'trigger',
];

/** A file whose content no longer matches the checksum the installed database recorded. */
export interface ChangedFile {
  readonly package: string;
  readonly path: string;
}

export interface MinirootfsPackages {
  readonly specs: ApkPackageSpec[];
  /** Files changed after installation (`/etc/shadow`): shipped as they are now. */
  readonly changed: ChangedFile[];
}

/** `/etc/passwd` or `/etc/group` of the rootfs as id → name. */
async function idNames(file: string): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const [name, , id] = line.split(':');
    if (name !== undefined && id !== undefined && /^\d+$/.test(id)) {
      if (!names.has(Number(id))) names.set(Number(id), name);
    }
  }
  return names;
}

function checksumOf(bytes: Uint8Array | string): string {
  return `Q1${createHash('sha1').update(bytes).digest('base64')}`;
}

async function scriptsOf(scriptsDir: string, label: string): Promise<ApkScript[]> {
  if (!existsSync(scriptsDir)) {
    return [];
  }
  const scripts: ApkScript[] = [];
  for (const name of (await readdir(scriptsDir)).sort()) {
    const phase = PHASES.find((candidate) => name.endsWith(`.${candidate}`));
    if (phase !== undefined && name.startsWith(`${label}.`)) {
      scripts.push({ phase, body: await readFile(join(scriptsDir, name), 'utf8') });
    }
  }
  return scripts;
}

interface Context {
  readonly root: string;
  readonly users: Map<number, string>;
  readonly groups: Map<number, string>;
  readonly changed: ChangedFile[];
}

async function entriesOf(pkg: InstalledPackage, context: Context): Promise<ApkEntry[]> {
  const owner = (uid: number, gid: number) => ({
    uid,
    gid,
    user: context.users.get(uid) ?? String(uid),
    group: context.groups.get(gid) ?? String(gid),
  });
  const entries: ApkEntry[] = pkg.directories.map((dir) => ({
    type: 'directory',
    path: `/${dir.path}`,
    mode: dir.owner?.mode ?? 0o755,
    ...owner(dir.owner?.uid ?? 0, dir.owner?.gid ?? 0),
  }));
  for (const file of pkg.files) {
    const hostPath = join(context.root, file.path);
    const ids = owner(file.owner?.uid ?? 0, file.owner?.gid ?? 0);
    const path = `/${file.path}`;
    const stat = await lstat(hostPath);
    if (stat.isSymbolicLink()) {
      const target = await readlink(hostPath);
      entries.push({ type: 'symlink', path, mode: file.owner?.mode ?? 0o777, target, ...ids });
    } else if (stat.isFile()) {
      if (file.checksum !== undefined && checksumOf(await readFile(hostPath)) !== file.checksum) {
        context.changed.push({ package: field(pkg, 'P'), path });
      }
      entries.push({
        type: 'file',
        path,
        mode: file.owner?.mode ?? 0o644,
        content: { hostPath },
        ...ids,
      });
    } else {
      throw new Error(`${path} of ${field(pkg, 'P')} is neither a file nor a symlink`);
    }
  }
  return entries;
}

function optionalNumber(pkg: InstalledPackage, key: string): number | undefined {
  const value = pkg.fields.get(key);
  return value === undefined ? undefined : Number(value);
}

/**
 * Every package of the Alpine minirootfs, rebuilt from its unpacked files with the metadata,
 * owners, modes, scripts and triggers its installed database records.
 */
export async function minirootfsPackages(
  runner: Runner,
  workDir: string,
  arch: string,
): Promise<MinirootfsPackages> {
  const root = join(workDir, 'minirootfs');
  const scriptsDir = join(workDir, 'minirootfs-scripts');
  await mkdir(root, { recursive: true });
  await runner.run(['tar', '-xf', await minirootfsTarball(), '-C', root, '--no-same-owner']);
  const dbDir = join(root, 'lib', 'apk', 'db');
  if (existsSync(join(dbDir, 'scripts.tar'))) {
    await mkdir(scriptsDir, { recursive: true });
    await runner.run([
      'tar',
      '-xf',
      join(dbDir, 'scripts.tar'),
      '-C',
      scriptsDir,
      '--no-same-owner',
    ]);
  }
  const triggers = new Map<string, string[]>();
  if (existsSync(join(dbDir, 'triggers'))) {
    for (const line of (await readFile(join(dbDir, 'triggers'), 'utf8')).split('\n')) {
      const [hash, ...paths] = line.split(' ').filter((part) => part !== '');
      if (hash !== undefined) triggers.set(hash, paths);
    }
  }
  const context: Context = {
    root,
    users: await idNames(join(root, 'etc', 'passwd')),
    groups: await idNames(join(root, 'etc', 'group')),
    changed: [],
  };
  const installed = parseInstalledDb(await readFile(join(dbDir, 'installed'), 'utf8'));
  const specs: ApkPackageSpec[] = [];
  for (const pkg of installed) {
    const name = field(pkg, 'P');
    const version = field(pkg, 'V');
    if (field(pkg, 'A') !== arch) {
      throw new Error(`${name} of the minirootfs is ${field(pkg, 'A')}, not ${arch}`);
    }
    const commit = pkg.fields.get('c');
    const maintainer = pkg.fields.get('m');
    const providerPriority = optionalNumber(pkg, 'k');
    const replacesPriority = optionalNumber(pkg, 'q');
    specs.push({
      ...NO_RELATIONS,
      name,
      version,
      arch,
      description: field(pkg, 'T'),
      url: field(pkg, 'U'),
      license: field(pkg, 'L'),
      origin: pkg.fields.get('o') ?? name,
      ...(commit === undefined ? {} : { commit }),
      ...(maintainer === undefined ? {} : { maintainer }),
      buildDate: Number(field(pkg, 't')),
      depends: listField(pkg, 'D'),
      provides: listField(pkg, 'p'),
      replaces: listField(pkg, 'r'),
      installIf: listField(pkg, 'i'),
      ...(providerPriority === undefined ? {} : { providerPriority }),
      ...(replacesPriority === undefined ? {} : { replacesPriority }),
      triggers: triggers.get(field(pkg, 'C')) ?? [],
      installedSize: Number(field(pkg, 'I')),
      scripts: await scriptsOf(scriptsDir, `${name}-${version}`),
      entries: await entriesOf(pkg, context),
    });
  }
  return { specs, changed: context.changed };
}

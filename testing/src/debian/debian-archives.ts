import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '@levitate/tools';

/**
 * Debian packages as the fixture uses them: downloaded once with `apt-get download` into a
 * cache folder, unpacked once with `dpkg-deb -x`, then read from the cache on every build.
 */
export interface DebianArchive {
  readonly package: string;
  readonly version: string;
  readonly architecture: string;
  /** Raw `Depends:` field, empty when absent. */
  readonly depends: string;
  readonly debFile: string;
  /** The unpacked contents; shared between builds, never to be written to. */
  readonly tree: string;
}

export interface DebianCache {
  readonly runner: Runner;
  /** Holds `debs/` and `trees/`. */
  readonly dir: string;
}

function debsDir(cache: DebianCache): string {
  return join(cache.dir, 'debs');
}

async function cachedDeb(cache: DebianCache, name: string): Promise<string | undefined> {
  if (!existsSync(debsDir(cache))) {
    return undefined;
  }
  const files = (await readdir(debsDir(cache)))
    .filter((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'))
    .sort();
  const last = files.at(-1);
  return last === undefined ? undefined : join(debsDir(cache), last);
}

/** `name: candidate` from `apt-cache policy` of several packages. */
export function policyCandidates(text: string): Map<string, string> {
  const candidates = new Map<string, string>();
  let name: string | undefined;
  for (const line of text.split('\n')) {
    const heading = /^(\S+):$/.exec(line);
    if (heading?.[1] !== undefined) name = heading[1];
    const candidate = /^\s+Candidate:\s+(\S+)/.exec(line);
    if (name !== undefined && candidate?.[1] !== undefined) candidates.set(name, candidate[1]);
  }
  return candidates;
}

/** The versions archives serve, by package, as `apt-cache madison` lists them (newest first). */
export function madisonVersions(text: string): Map<string, string[]> {
  const versions = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [name, version] = line.split('|').map((field) => field.trim());
    if (name === undefined || version === undefined || name === '' || version === '') continue;
    versions.set(name, [...(versions.get(name) ?? []), version]);
  }
  return versions;
}

/**
 * What to ask apt-get to download: the candidate version, unless no archive serves it (a newer
 * build of the package installed from elsewhere, as Node.js from NodeSource), then the newest
 * version an archive serves (`nodejs=18.20.4+dfsg-1~deb12u3`).
 */
export function downloadSpecs(
  names: readonly string[],
  candidates: ReadonlyMap<string, string>,
  served: ReadonlyMap<string, readonly string[]>,
): string[] {
  return names.map((name) => {
    const versions = served.get(name) ?? [];
    const candidate = candidates.get(name);
    const newest = versions[0];
    if (candidate === undefined || newest === undefined || versions.includes(candidate)) {
      return name;
    }
    return `${name}=${newest}`;
  });
}

async function downloadable(cache: DebianCache, names: readonly string[]): Promise<string[]> {
  const [policy, madison] = await Promise.all([
    cache.runner.run(['apt-cache', 'policy', '--', ...names]),
    cache.runner.run(['apt-cache', 'madison', '--', ...names]),
  ]);
  return downloadSpecs(names, policyCandidates(policy.stdout), madisonVersions(madison.stdout));
}

/** Downloads `names` with apt-get into the cache, each in a version an archive serves. */
async function download(cache: DebianCache, names: readonly string[]): Promise<void> {
  await mkdir(debsDir(cache), { recursive: true });
  const staging = await mkdtemp(join(cache.dir, '.download-'));
  try {
    await cache.runner.run(['apt-get', 'download', '--', ...(await downloadable(cache, names))], {
      cwd: staging,
      timeoutMs: 600_000,
    });
    for (const file of await readdir(staging)) {
      if (file.endsWith('.deb')) {
        await rename(join(staging, file), join(debsDir(cache), file));
      }
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function controlFields(cache: DebianCache, debFile: string): Promise<Map<string, string>> {
  const { stdout } = await cache.runner.run(['dpkg-deb', '--field', debFile]);
  const fields = new Map<string, string>();
  let last = '';
  for (const line of stdout.split('\n')) {
    const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (match?.[1] !== undefined) {
      last = match[1];
      fields.set(last, match[2] ?? '');
    } else if (line.startsWith(' ') && last !== '') {
      fields.set(last, `${fields.get(last) ?? ''}\n${line}`);
    }
  }
  return fields;
}

/** Unpacks a deb into `trees/<file name>` once; concurrent builds race harmlessly. */
async function unpacked(cache: DebianCache, debFile: string): Promise<string> {
  const name = debFile.slice(debFile.lastIndexOf('/') + 1).replace(/\.deb$/, '');
  const tree = join(cache.dir, 'trees', name);
  if (existsSync(tree)) {
    return tree;
  }
  await mkdir(join(cache.dir, 'trees'), { recursive: true });
  const staging = join(cache.dir, 'trees', `.${name}.${randomBytes(4).toString('hex')}`);
  try {
    await cache.runner.run(['dpkg-deb', '-x', debFile, staging], { timeoutMs: 600_000 });
    await rename(staging, tree);
  } catch (error) {
    if (!existsSync(tree)) {
      throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return tree;
}

/**
 * The Debian packages `names`, from the cache when there, else downloaded (the candidate version
 * apt knows, or the newest an archive serves when the candidate came from elsewhere); each
 * unpacked.
 */
export async function debianArchives(
  cache: DebianCache,
  names: readonly string[],
): Promise<Map<string, DebianArchive>> {
  const wanted = [...new Set(names)];
  const missing: string[] = [];
  for (const name of wanted) {
    if ((await cachedDeb(cache, name)) === undefined) missing.push(name);
  }
  if (missing.length > 0) {
    await download(cache, missing);
  }
  const archives = new Map<string, DebianArchive>();
  await Promise.all(
    wanted.map(async (name) => {
      const debFile = await cachedDeb(cache, name);
      if (debFile === undefined) {
        throw new Error(`apt-get download ${name} left no ${name}_*.deb in ${debsDir(cache)}`);
      }
      const fields = await controlFields(cache, debFile);
      archives.set(name, {
        package: fields.get('Package') ?? name,
        version: fields.get('Version') ?? '',
        architecture: fields.get('Architecture') ?? '',
        depends: fields.get('Depends') ?? '',
        debFile,
        tree: await unpacked(cache, debFile),
      });
    }),
  );
  return archives;
}

export function archive(archives: ReadonlyMap<string, DebianArchive>, name: string): DebianArchive {
  const found = archives.get(name);
  if (found === undefined) {
    throw new Error(`Debian package ${name} was not fetched`);
  }
  return found;
}

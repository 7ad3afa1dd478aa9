import type { ImageTree } from '../image-tree.ts';
import { baseName } from '../paths.ts';
import type { FolderIndex } from './tree-folders.ts';
import { byBytes, ensureFolder, isMask, readText, symlinkNode } from './tree-folders.ts';
import type { InstallSection, UnitName } from './unit-files.ts';
import {
  expandSpecifiers,
  instanceName,
  isTemplate,
  parseInstall,
  parseUnitName,
} from './unit-files.ts';

/** systemd's search path for system units, first folder first. /run is empty in an image. */
export const UNIT_DIRS = [
  '/etc/systemd/system',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
];
const CONFIG_DIR = '/etc/systemd/system';

export type FoundUnit =
  | { readonly kind: 'masked'; readonly path: string }
  | {
      readonly kind: 'unit';
      /** The unit file as found in the search path: what enablement links point at. */
      readonly path: string;
      /** The unit the file is (an alias resolved): its name, the instance asked for kept. */
      readonly unit: UnitName;
      readonly install: InstallSection | undefined;
      /** The name asked for was an alias (a symlink to another unit). */
      readonly alias: boolean;
    };

/** What happened when enabling a unit. */
export interface EnableResult {
  readonly links: number;
  /** Concrete unit names that got (or already had) their links. */
  readonly enabled: readonly string[];
  readonly problems: readonly string[];
}

/** The unit search path of an image, and `systemctl enable` of units in it. */
export class UnitSearch {
  readonly #tree: ImageTree;
  readonly #index: FolderIndex;
  readonly #origin: string;
  /** Unit folders that exist, each once even when reached through symlinks. */
  readonly dirs: readonly string[];

  constructor(tree: ImageTree, index: FolderIndex, origin: string) {
    this.#tree = tree;
    this.#index = index;
    this.#origin = origin;
    const seen = new Set<string>();
    this.dirs = UNIT_DIRS.filter((dir) => {
      const listed = index.list(dir);
      if (listed === undefined || seen.has(listed.path)) return false;
      seen.add(listed.path);
      return true;
    });
  }

  /** Every unit name in the search path (regular files and symlinks), sorted. */
  unitNames(): string[] {
    const names = new Set<string>();
    for (const dir of this.dirs) {
      for (const name of this.#index.list(dir)?.names ?? []) {
        const kind = this.#tree.get(`${dir}/${name}`)?.kind;
        if ((kind === 'file' || kind === 'symlink') && parseUnitName(name) !== undefined)
          names.add(name);
      }
    }
    return [...names].sort(byBytes);
  }

  #entry(name: string): string | undefined {
    for (const dir of this.dirs) {
      const path = `${dir}/${name}`;
      const node = this.#tree.get(path);
      if (node?.kind === 'file' || node?.kind === 'symlink' || node?.kind === 'hardlink')
        return path;
    }
    return undefined;
  }

  /** Finds `name` (an instance falls back to its template), following alias symlinks. */
  async find(name: string, hops = 0): Promise<FoundUnit | undefined> {
    const unit = parseUnitName(name);
    if (unit === undefined) return undefined;
    const path = this.#entry(name) ?? (unit.instance ? this.#entry(unit.template) : undefined);
    if (path === undefined) return undefined;
    if (isMask(this.#tree, path)) return { kind: 'masked', path };
    const node = this.#tree.get(path);
    const file = this.#tree.fileAt(path);
    if (file === undefined) return undefined;
    const targetName = baseName(file.path);
    const sameName = node?.kind !== 'symlink' || targetName === baseName(path);
    if (!sameName && hops < 8) {
      const real = parseUnitName(targetName);
      if (real === undefined) return undefined;
      const wanted =
        unit.instance && isTemplate(real) ? instanceName(real, unit.instance) : targetName;
      const found = await this.find(wanted, hops + 1);
      return found?.kind === 'unit' ? { ...found, alias: true } : found;
    }
    const text = (await readText(this.#tree, path)) ?? '';
    return { kind: 'unit', path, unit, install: parseInstall(text), alias: false };
  }

  /**
   * `systemctl enable`: the links of [Install] for the unit (with `instances`, or its
   * DefaultInstance when it is a template), then the units of Also=.
   */
  async enable(
    found: Extract<FoundUnit, { kind: 'unit' }>,
    instances: readonly string[] | undefined,
    visited = new Set<string>(),
  ): Promise<EnableResult> {
    const result = { links: 0, enabled: [] as string[], problems: [] as string[] };
    const { unit, install, path } = found;
    if (install === undefined || visited.has(unit.name)) return result;
    visited.add(unit.name);
    const names = isTemplate(unit)
      ? (instances ??
        (install.defaultInstance === undefined
          ? []
          : [instanceName(unit, install.defaultInstance)]))
      : [unit.name];
    for (const name of names) {
      const concrete = parseUnitName(name);
      if (concrete === undefined) continue;
      const expand = (value: string) => expandSpecifiers(value, concrete, path);
      const links = [
        ...install.wantedBy.map((target) => `${expand(target)}.wants/${name}`),
        ...install.requiredBy.map((target) => `${expand(target)}.requires/${name}`),
        ...install.upheldBy.map((target) => `${expand(target)}.upholds/${name}`),
        ...install.alias.map((alias) => this.#aliasName(expand(alias), concrete)),
      ];
      for (const link of links) {
        const made = this.#link(link, path);
        if (made === 'conflict') {
          result.problems.push(`${CONFIG_DIR}/${link} exists and does not point at ${path}`);
        } else if (made === 'created') result.links += 1;
      }
      result.enabled.push(name);
    }
    for (const also of install.also) {
      const alsoName = expandSpecifiers(also, unit, path);
      const other = await this.find(alsoName);
      if (other?.kind !== 'unit') {
        result.problems.push(
          `${unit.name}: Also=${alsoName} is ${other ? 'masked' : 'not in the image'}`,
        );
        continue;
      }
      const more = await this.enable(other, undefined, visited);
      result.links += more.links;
      result.enabled.push(...more.enabled);
      result.problems.push(...more.problems);
    }
    return result;
  }

  #aliasName(alias: string, unit: UnitName): string {
    const parsed = parseUnitName(alias);
    return parsed !== undefined && isTemplate(parsed) && unit.instance
      ? instanceName(parsed, unit.instance)
      : alias;
  }

  /** The symlink CONFIG_DIR/relative → target, kept when already right. */
  #link(relative: string, target: string): 'created' | 'kept' | 'conflict' {
    const slash = relative.lastIndexOf('/');
    const dir =
      slash < 0
        ? ensureFolder(this.#tree, CONFIG_DIR, this.#origin)
        : ensureFolder(this.#tree, `${CONFIG_DIR}/${relative.slice(0, slash)}`, this.#origin);
    const path = `${dir}/${relative.slice(slash + 1)}`;
    const existing = this.#tree.get(path);
    if (existing?.kind === 'symlink' && existing.target === target) return 'kept';
    if (existing !== undefined) return 'conflict';
    this.#tree.set(path, symlinkNode(target, this.#origin, this.#tree.epoch));
    this.#index.added(path);
    return 'created';
  }
}

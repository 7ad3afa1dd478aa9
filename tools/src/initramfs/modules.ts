import {
  isModuleFile,
  modinfoDepends,
  moduleName,
  normalizeModuleName,
  parseModinfo,
  readModule,
} from './modinfo.ts';
import { joinRootPath } from './root-view.ts';
import type { RootView } from './root-view.ts';

export interface KernelModule {
  /** Normalised name (`crc_t10dif`). */
  readonly name: string;
  /** Path in the root, e.g. `/lib/modules/<release>/kernel/fs/isofs/isofs.ko`. */
  readonly path: string;
  /** Path under /lib/modules/<version>, as modules.dep writes it. */
  readonly relativePath: string;
  /** Normalised names of the modules it needs loaded first. */
  readonly depends: readonly string[];
}

export interface ModuleClosure {
  readonly kernelVersion: string;
  /** Load order: every module comes after the modules it depends on. */
  readonly modules: readonly KernelModule[];
  /** Wanted names the kernel has built in (nothing to load). */
  readonly builtin: readonly string[];
  /** Wanted names the kernel has neither as a module nor built in. */
  readonly missing: readonly string[];
  /** Where the dependencies came from. */
  readonly source: 'modules.dep' | 'modinfo';
}

interface IndexedModule {
  readonly relativePath: string;
  /** Known up front from modules.dep; read from `.modinfo` otherwise. */
  readonly depends?: readonly string[];
}

/**
 * The modules to load for `wanted`, with everything they depend on, from the root's
 * /lib/modules/<version>. Uses its modules.dep when there is one; otherwise (Debian's kernel
 * package ships none) reads each module's own `depends=` field.
 */
export async function moduleClosure(
  root: RootView,
  kernelVersion: string,
  wanted: readonly string[],
): Promise<ModuleClosure> {
  const moduleDir = `/lib/modules/${kernelVersion}`;
  if (wanted.length === 0) {
    return { kernelVersion, modules: [], builtin: [], missing: [], source: 'modinfo' };
  }
  const depText = await readText(root, `${moduleDir}/modules.dep`);
  const index =
    depText === undefined ? await scanModules(root, moduleDir) : parseModulesDep(depText);
  if (index.size === 0 && (await root.stat(moduleDir)) === undefined) {
    throw new Error(`the image has no ${moduleDir}: is the kernel ${kernelVersion} installed?`);
  }
  const builtinNames = new Set(
    ((await readText(root, `${moduleDir}/modules.builtin`)) ?? '')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => moduleName(line.trim())),
  );

  const modules: KernelModule[] = [];
  const builtin: string[] = [];
  const missing: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();

  const visit = async (requested: string, requiredBy: string | undefined): Promise<void> => {
    const name = normalizeModuleName(requested);
    if (state.has(name)) return;
    if (builtinNames.has(name)) {
      if (requiredBy === undefined) builtin.push(requested);
      state.set(name, 'done');
      return;
    }
    const entry = index.get(name);
    if (entry === undefined) {
      if (requiredBy !== undefined) {
        throw new Error(
          `kernel module ${requiredBy} depends on ${requested}, which is not in ${moduleDir}`,
        );
      }
      missing.push(requested);
      state.set(name, 'done');
      return;
    }
    state.set(name, 'visiting');
    const path = joinRootPath(moduleDir, entry.relativePath);
    const depends =
      entry.depends ??
      modinfoDepends(parseModinfo(await readModule(root, path))).map(normalizeModuleName);
    for (const dependency of depends) await visit(dependency, name);
    modules.push({ name, path, relativePath: entry.relativePath, depends });
    state.set(name, 'done');
  };
  for (const name of wanted) await visit(name, undefined);

  return {
    kernelVersion,
    modules,
    builtin,
    missing,
    source: depText === undefined ? 'modinfo' : 'modules.dep',
  };
}

/** `kernel/fs/isofs/isofs.ko: kernel/drivers/cdrom/cdrom.ko` lines → name → file and needs. */
export function parseModulesDep(text: string): Map<string, IndexedModule> {
  const index = new Map<string, IndexedModule>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const relativePath = line.slice(0, colon).trim();
    const depends = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .filter((path) => path !== '')
      .map(moduleName);
    index.set(moduleName(relativePath), { relativePath, depends });
  }
  return index;
}

/** Every module file under the folder; `updates/` wins over `extra/`, which wins over the rest. */
async function scanModules(root: RootView, moduleDir: string): Promise<Map<string, IndexedModule>> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const name of await root.list(joinRootPath(moduleDir, relative))) {
      const child = relative === '' ? name : `${relative}/${name}`;
      if (isModuleFile(name)) found.push(child);
      else if ((await root.stat(joinRootPath(moduleDir, child)))?.type === 'directory') {
        await walk(child);
      }
    }
  };
  await walk('');
  const rank = (path: string) =>
    path.startsWith('updates/') ? 0 : path.startsWith('extra/') ? 1 : 2;
  const index = new Map<string, IndexedModule>();
  for (const relativePath of found.sort(
    (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  )) {
    const name = moduleName(relativePath);
    if (!index.has(name)) index.set(name, { relativePath });
  }
  return index;
}

async function readText(root: RootView, path: string): Promise<string | undefined> {
  const bytes = await root.readFile(path);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

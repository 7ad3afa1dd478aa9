import { writeCpioNewc } from '../boot/cpio.ts';
import { UserError } from '../core/errors.ts';
import { assertRequiredModules } from './boot-modules.ts';
import type { RequiredModules } from './boot-modules.ts';
import { compressInitramfs } from './compression.ts';
import type { InitramfsCompression } from './compression.ts';
import { LIVE_INIT_COMMANDS, LIVE_MODULE_LIST, liveInitScript } from './init-script.ts';
import { libraryClosure } from './libraries.ts';
import { busyboxShell } from './live-boot.ts';
import type { InitramfsShell } from './live-boot.ts';
import { findFirmware } from './firmware.ts';
import { modulesAliasText, modulesDepText, moduleLoadList } from './module-files.ts';
import { parseModinfo, plainModulePath, readModule } from './modinfo.ts';
import { moduleClosure } from './modules.ts';
import { baseName, realPathInRoot } from './root-view.ts';
import type { RootView } from './root-view.ts';
import { InitramfsTree } from './tree.ts';

export interface InitramfsInput {
  /** The image's root filesystem: everything copied comes from here. */
  readonly root: RootView;
  readonly kernelVersion: string;
  readonly shell: InitramfsShell;
  /** Programs to copy (with their libraries): mount, switch_root, insmod… when not applets. */
  readonly tools: readonly string[];
  /** Kernel modules wanted; their dependencies are added. */
  readonly modules: readonly string[];
  /**
   * Modules the boot cannot do without (added to `modules` when not there) and the package the
   * kernel comes from: a kernel with one neither as a module nor built in fails the build.
   */
  readonly required?: RequiredModules;
  readonly compression: InitramfsCompression;
  /** Time stamp of every entry (SOURCE_DATE_EPOCH). */
  readonly epoch: number;
}

export interface InitramfsReport {
  /** Every path in the archive, sorted. */
  readonly files: readonly string[];
  /** Modules included, in load order. */
  readonly modules: readonly string[];
  /** Wanted modules the kernel has built in. */
  readonly builtinModules: readonly string[];
  /** Wanted modules the kernel has neither as a module nor built in (never a required one). */
  readonly missingModules: readonly string[];
  /** Firmware files the included modules name, copied as the image has them. */
  readonly firmware: readonly string[];
  /** Firmware the included modules name that the image lacks (`module: name`). */
  readonly missingFirmware: readonly string[];
  readonly libraries: readonly string[];
  readonly uncompressedSize: number;
  readonly compressedSize: number;
}

export interface InitramfsOutput {
  readonly bytes: Uint8Array;
  readonly report: InitramfsReport;
}

const RUNTIME_DIRS: readonly (readonly [string, number])[] = [
  ['/dev', 0o755],
  ['/proc', 0o555],
  ['/sys', 0o555],
  ['/run', 0o755],
  ['/sysroot', 0o755],
  ['/tmp', 0o1777],
  ['/etc', 0o755],
  ['/root', 0o700],
];
const COMMAND_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Builds the live-boot initramfs: /init, its programs and libraries, the kernel modules. */
export async function buildInitramfs(input: InitramfsInput): Promise<InitramfsOutput> {
  const { root, kernelVersion, required } = input;
  const wanted = [...new Set([...input.modules, ...(required?.modules ?? [])])];
  const closure = await moduleClosure(root, kernelVersion, wanted);
  if (required !== undefined) assertRequiredModules(closure, required);
  const tree = new InitramfsTree(root, input.epoch);
  for (const [dir, mode] of RUNTIME_DIRS) await tree.directory(dir, mode);

  const shell = shellWithLinks(input.shell);
  const programs = [shell.path, ...input.tools];
  for (const program of programs) await tree.copyFromRoot(program);
  const libraries = await libraryClosure(root, programs);
  for (const library of libraries) await tree.copyFromRoot(library);
  for (const link of shell.links ?? []) {
    if (!(await tree.has(link))) await tree.addSymlink(link, shell.path);
  }
  await provideBinSh(tree, root, shell.path);

  const moduleDir = `/lib/modules/${kernelVersion}`;
  const aliases: { name: string; aliases: string[] }[] = [];
  const wantsFirmware: { name: string; firmware: string[] }[] = [];
  for (const module of closure.modules) {
    const bytes = await readModule(root, module.path);
    await tree.addFile(`${moduleDir}/${plainModulePath(module.relativePath)}`, bytes, 0o644);
    const modinfo = parseModinfo(bytes);
    aliases.push({ name: module.name, aliases: modinfo.get('alias') ?? [] });
    wantsFirmware.push({ name: module.name, firmware: modinfo.get('firmware') ?? [] });
  }
  const firmware = await findFirmware(root, kernelVersion, wantsFirmware);
  for (const file of firmware) {
    if (file.path !== undefined) await tree.copyFromRoot(file.path);
  }
  if (closure.modules.length > 0) {
    const text = (value: string) => new TextEncoder().encode(value);
    await tree.addFile(`${moduleDir}/modules.dep`, text(modulesDepText(closure.modules)), 0o644);
    await tree.addFile(`${moduleDir}/modules.alias`, text(modulesAliasText(aliases)), 0o644);
    if ((await root.stat(`${moduleDir}/modules.builtin`)) !== undefined) {
      await tree.copyFromRoot(`${moduleDir}/modules.builtin`);
    }
    await tree.addFile(
      LIVE_MODULE_LIST,
      text(moduleLoadList(kernelVersion, closure.modules)),
      0o644,
    );
  }
  await tree.addFile('/init', new TextEncoder().encode(await liveInitScript()), 0o755);
  await requireCommands(tree);

  const archive = writeCpioNewc(tree.cpioEntries());
  const bytes = await compressInitramfs(archive, input.compression);
  return {
    bytes,
    report: {
      files: tree.paths(),
      modules: closure.modules.map((module) => module.name),
      builtinModules: closure.builtin,
      missingModules: closure.missing,
      firmware: firmware.flatMap((file) => (file.path === undefined ? [] : [file.path])),
      missingFirmware: firmware.flatMap((file) =>
        file.path === undefined ? [`${file.module}: ${file.name}`] : [],
      ),
      libraries,
      uncompressedSize: archive.length,
      compressedSize: bytes.length,
    },
  };
}

/** A busybox given without applet links gets the ones /init needs. */
function shellWithLinks(shell: InitramfsShell): InitramfsShell {
  return shell.links === undefined && baseName(shell.path) === 'busybox'
    ? busyboxShell(shell.path)
    : shell;
}

/** /init starts with #!/bin/sh: use the image's /bin/sh when it is the chosen shell, else a link. */
async function provideBinSh(tree: InitramfsTree, root: RootView, shell: string): Promise<void> {
  if (await tree.has('/bin/sh')) return;
  const imageSh = await realPathInRoot(root, '/bin/sh');
  if (imageSh !== undefined && imageSh === (await realPathInRoot(root, shell))) {
    await tree.copyFromRoot('/bin/sh');
  } else {
    await tree.addSymlink('/bin/sh', shell);
  }
}

async function requireCommands(tree: InitramfsTree): Promise<void> {
  const missing: string[] = [];
  for (const command of LIVE_INIT_COMMANDS) {
    let found = false;
    for (const dir of COMMAND_DIRS) found ||= await tree.has(`${dir}/${command}`);
    if (!found) missing.push(command);
  }
  if (missing.length > 0) {
    throw new UserError(
      'initramfs-command-missing',
      `the live /init needs ${missing.join(', ')}, which the initramfs does not have`,
      { hint: 'add them to the initramfs tools (or to the busybox applet links)' },
    );
  }
}

export {
  FILESYSTEM_MODULES,
  LIVE_MEDIUM_MODULES,
  assertRequiredModules,
  liveBootModules,
} from './boot-modules.ts';
export type { BootModules, RequiredModules } from './boot-modules.ts';
export { buildInitramfs } from './build.ts';
export type { InitramfsInput, InitramfsOutput, InitramfsReport } from './build.ts';
export { compressInitramfs, kernelSupportedCompression } from './compression.ts';
export type { InitramfsCompression } from './compression.ts';
export { elfIdentity, elfInterpreterAndNeeded, elfSection } from './elf.ts';
export type { ElfDynamicInfo, ElfIdentity } from './elf.ts';
export { hostDirectoryRoot } from './host-root.ts';
export {
  LIVE_INIT_COMMANDS,
  LIVE_MODULE_LIST,
  liveInitFunctions,
  liveInitScript,
} from './init-script.ts';
export { DEFAULT_LIBRARY_DIRS, librarySearchDirs } from './ld-paths.ts';
export { libraryClosure } from './libraries.ts';
export type { LibraryClosureOptions } from './libraries.ts';
export { LIVE_BOOT_MODULES, busyboxShell } from './live-boot.ts';
export type { InitramfsShell } from './live-boot.ts';
export { initramfsProgramsFor } from './programs.ts';
export type { InitramfsPrograms } from './programs.ts';
export { modulesAliasText, modulesDepText, moduleLoadList } from './module-files.ts';
export { moduleName, parseModinfo, modinfoDepends, readModule } from './modinfo.ts';
export { moduleClosure, parseModulesDep } from './modules.ts';
export type { KernelModule, ModuleClosure } from './modules.ts';
export { normalizeRootPath, realPathInRoot } from './root-view.ts';
export type { RootEntryType, RootStat, RootView } from './root-view.ts';
export { InitramfsTree } from './tree.ts';

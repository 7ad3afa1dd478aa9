export { AccountFiles } from './account-files.ts';
export type { GroupAccount, UserAccount } from './account-files.ts';
export { CapabilityTextError, encodeFileCapabilities } from './capabilities.ts';
export { CORRUPT_DIR, ContentStoreError, createContentStore } from './content-store.ts';
export type { Content, ContentSource, ContentStore, ContentStoreOptions } from './content-store.ts';
export { parseAccountCommand } from './effects/account-commands.ts';
export type { AccountCommand } from './effects/account-commands.ts';
export { apkAccountsEffect } from './effects/apk-accounts.ts';
export { busyboxAppletsEffect } from './effects/busybox-applets.ts';
export { kernelModuleIndexEffect } from './effects/kernel-module-index.ts';
export { ldSoCacheEffect } from './effects/ld-so-cache.ts';
export { encodeCache, libraryNameCompare, sortEntries } from './effects/ld-so-cache-format.ts';
export type { CacheEntry } from './effects/ld-so-cache-format.ts';
export { machineIdEffect } from './effects/machine-id.ts';
export { openrcRunlevelsEffect } from './effects/openrc-runlevels.ts';
export { SCRIPT_EFFECTS, effectsFor, runScriptEffects } from './effects/registry.ts';
export type {
  EffectOutcome,
  RunEffectsOptions,
  ScriptEffectReport,
  ScriptReport,
  ScriptStatus,
} from './effects/registry.ts';
export { systemdPresetsEffect } from './effects/systemd-presets.ts';
export { sysusersEffect } from './effects/sysusers.ts';
export type { EffectContext, EffectSpec, ScriptClaim, ScriptEffect } from './effects/types.ts';
export { ImageBuildError } from './errors.ts';
export { ImageTree } from './image-tree.ts';
export type { ImageTreeOptions, Placement } from './image-tree.ts';
export type {
  ContentRef,
  DeviceNode,
  DirectoryNode,
  FileNode,
  HardlinkNode,
  ImageNode,
  NodeKind,
  NodeMeta,
  PendingOwner,
  SpecialNode,
  SymlinkNode,
  TreeNote,
} from './nodes.ts';
export { OVERLAY_ORIGIN, applyOverlay } from './overlay.ts';
export type { OverlaySource, OverlaySummary } from './overlay.ts';
export type { OwnerResolution, ResolveOwnersOptions } from './owners.ts';
export { FOLDER_RULES } from './folder-rules.ts';
export type { FolderRule } from './folder-rules.ts';
export type {
  AddPackageOptions,
  InstallEntry,
  InstallablePackage,
  PackageInstallSummary,
} from './package-install.ts';
export type { InstalledEntry } from './package-install.ts';
export { describeSecurityEntry, securityEntries } from './security-entries.ts';
export type { PackageSecurityEntries, SecurityEntry, SecurityFlag } from './security-entries.ts';
export { writeSquashfs } from './squashfs-image.ts';
export type { WriteSquashfsOptions } from './squashfs-image.ts';

export { AccountFiles } from './account-files.ts';
export type { GroupAccount, UserAccount } from './account-files.ts';
export { CapabilityTextError, encodeFileCapabilities } from './capabilities.ts';
export { ContentStoreError, createContentStore } from './content-store.ts';
export type { ContentStore } from './content-store.ts';
export { parseAccountCommand } from './effects/account-commands.ts';
export type { AccountCommand } from './effects/account-commands.ts';
export { apkAccountsEffect } from './effects/apk-accounts.ts';
export { busyboxAppletsEffect } from './effects/busybox-applets.ts';
export { openrcRunlevelsEffect } from './effects/openrc-runlevels.ts';
export { SCRIPT_EFFECTS, effectsFor, runScriptEffects } from './effects/registry.ts';
export type {
  EffectOutcome,
  ScriptEffectReport,
  ScriptReport,
  ScriptStatus,
} from './effects/registry.ts';
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
export type { OwnerResolution } from './owners.ts';
export type { AddPackageOptions, PackageInstallSummary } from './package-install.ts';
export { writeSquashfs } from './squashfs-image.ts';
export type { WriteSquashfsOptions } from './squashfs-image.ts';

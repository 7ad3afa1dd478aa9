import type { VerifiedPackage } from '../backend/index.ts';
import { addInstallTools, addRecipeTool } from './install-tools-stage.ts';
import {
  FOLDER_RULES,
  ImageTree,
  SCRIPT_EFFECTS,
  applyOverlay,
  createContentStore,
  runScriptEffects,
  securityEntries,
} from '../rootfs/index.ts';
import type { ContentStore, PackageSecurityEntries, ScriptEffectReport } from '../rootfs/index.ts';
import type { StageCache } from '../stage-cache/index.ts';
import type { BuildContext } from './context.ts';
import { writeOsRelease } from './os-release.ts';
import { installPackages } from './package-entries.ts';
import { IMAGE_SYSTEMD_BOOT, addSignedBootManager } from './signed-boot-manager.ts';

export interface RootfsResult {
  readonly tree: ImageTree;
  readonly store: ContentStore;
  readonly effects: ScriptEffectReport;
  readonly notes: readonly string[];
  /** Setuid/setgid files, world-writable entries, devices and capabilities, by package. */
  readonly security: readonly PackageSecurityEntries[];
}

/**
 * The image tree, without root: package entries (metadata in memory, contents in the store);
 * the install-script effects that create accounts (busybox adduser, sysusers.d); owners
 * resolved against the image's own accounts, a name no account defines being an error unless
 * the package recorded a number for it; the variant's overlays and file permissions (which may
 * name those accounts); the other install-script effects done in TypeScript (after the
 * overlays, so services an overlay ships get enabled); the variant's os-release; and the
 * install tools (recstrap, recfstab, recchroot, recupdate) with the slot health check, and
 * `recipe` when the image has Node.js.
 * With a stage cache, a package file installed before is replayed from the list of what it
 * installed instead of being decompressed again (see installPackages).
 * Packages follow their format's folder rule (apk refuses a file whose folder the package does
 * not list). A damaged file in the content store is written again from its package, with a
 * warning and a note. The security-relevant entries of the finished tree are listed by package.
 * The store keeps the fingerprints of the files it checked, for the next build.
 */
export async function buildRootfs(
  context: BuildContext,
  packages: readonly VerifiedPackage[],
  epoch: number,
  cache?: StageCache,
): Promise<RootfsResult> {
  const repaired: string[] = [];
  const store = createContentStore(context.contentDir, {
    warn: (message) => {
      repaired.push(message);
      context.reporter.warn(`content store: ${message}`);
    },
  });
  const tree = new ImageTree({ store, epoch });
  const replaces = replacesFrom(packages);
  const folders = FOLDER_RULES[context.spec.family];
  await installPackages(tree, packages, { replaces, folders }, cache);
  const effects = await runScriptEffects(tree, packages, context.spec, SCRIPT_EFFECTS, {
    afterAccounts: async () => {
      await tree.resolveOwners({ unknown: 'error' });
      for (const overlay of context.spec.overlays) {
        await applyOverlay(tree, overlay);
      }
    },
  });
  await writeOsRelease(tree, context.spec.osRelease, epoch);
  await addInstallTools(tree, epoch);
  const recipeNotes = await addRecipeTool(tree, epoch);
  const signedBootManager =
    context.secureBoot === undefined
      ? undefined
      : await addSignedBootManager(tree, context.secureBoot, epoch);
  const secureBootNotes =
    context.secureBoot !== undefined && signedBootManager === undefined
      ? [
          `secure-boot: the image has no ${IMAGE_SYSTEMD_BOOT}; installs from it take an unsigned boot manager unless they bring their own`,
        ]
      : [];
  await store.remember();
  return {
    tree,
    store,
    effects,
    // Read when the report is made, so repairs while the squashfs is written are in it too.
    get notes() {
      return [
        ...secureBootNotes,
        ...recipeNotes,
        ...tree.notes.map((note) => `${note.rule}: ${note.path} (${note.origin}): ${note.message}`),
        ...repaired.map((message) => `store-repaired: ${message}`),
      ];
    },
    security: securityEntries(tree),
  };
}

/** APK `replaces`: a package may take over files of the packages it names. */
function replacesFrom(
  packages: readonly VerifiedPackage[],
): (later: string, earlier: string) => boolean {
  const table = new Map(packages.map((pkg) => [pkg.package.name, new Set(pkg.replaces ?? [])]));
  return (later, earlier) => table.get(later)?.has(earlier) ?? false;
}

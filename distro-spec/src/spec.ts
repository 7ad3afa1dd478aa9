/** The fully resolved, frozen description of one variant that every builder works from. */
export interface VariantSpec {
  /** Variant name, e.g. `acorn`, and the definition files that produced it, root first. */
  readonly variant: string;
  readonly files: readonly string[];
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly prettyName: string;
  readonly arch: Arch;
  readonly family: PackageFamily;
  readonly libc: 'glibc' | 'musl';
  readonly init: 'systemd' | 'openrc';
  /** Complete os-release(5) content, in a stable key order. */
  readonly osRelease: Readonly<Record<string, string>>;
  readonly keys: readonly SigningKey[];
  readonly repositories: readonly Repository[];
  /** Packages to install: the variant's own plus those of enabled features, without duplicates. */
  readonly packages: readonly string[];
  /**
   * RPM: install Recommends and Supplements too, as dnf's install_weak_deps=True. False gives
   * a minimal package set. APK has no weak dependencies, so it changes nothing there.
   */
  readonly installWeakDeps: boolean;
  readonly services: readonly Service[];
  readonly features: Readonly<Record<string, Feature>>;
  readonly kernel: { readonly package: string; readonly cmdline: readonly string[] };
  readonly boot: BootLayout;
  readonly disk: { readonly partitions: readonly Partition[] };
  /** Overlay folders applied over the root filesystem, in order (parent first). */
  readonly overlays: readonly Overlay[];
  /** Signing for UEFI Secure Boot; unsigned without it. */
  readonly secureBoot?: SecureBoot;
}

/** Paths are absolute, resolved against the file (or working folder) that gave them. */
export interface SecureBoot {
  /** PEM private key file of the db certificate, or a `pkcs11:` URI. */
  readonly key: string;
  readonly cert: string;
  readonly enroll?: SecureBootEnrolment;
}

export interface SecureBootEnrolment {
  /** Folder with PK.auth, KEK.auth and db.auth. */
  readonly keys: string;
  /** `loader/keys/<name>` on the ESP. */
  readonly name: string;
  readonly mode: 'manual' | 'force';
}

export type Arch = 'x86_64' | 'aarch64';
export type PackageFamily = 'rpm' | 'apk';
export type Slot = 'a' | 'b';

export interface SigningKey {
  readonly name: string;
  readonly url: string;
  readonly sha256?: string;
  readonly fingerprint?: string;
}

export interface Repository {
  readonly name: string;
  readonly url: string;
  readonly priority: number;
  /** Names of trusted keys from `keys`, or, for a repository given on the command line, a folder of keys. */
  readonly keys: readonly string[];
  readonly keysDir?: string;
  /** repomd.xml.asc must be there and verify (RPM; dnf's repo_gpgcheck). */
  readonly signedMetadata: boolean;
  readonly origin: 'variant' | 'override';
}

export interface Service {
  readonly name: string;
  readonly runlevel?: 'sysinit' | 'boot' | 'default' | 'shutdown';
  /** The package that ships its init script or unit, named when the image lacks it. */
  readonly package?: string;
}

export interface Feature {
  readonly description: string;
  readonly enabled: boolean;
  readonly packages: readonly string[];
  readonly services: readonly Service[];
}

export interface Partition {
  readonly label: string;
  readonly role: 'esp' | 'system' | 'var';
  readonly slot?: Slot;
  readonly size: string;
  readonly filesystem: 'vfat' | 'ext4' | 'xfs' | 'btrfs';
}

export interface BootLayout {
  readonly live: {
    readonly volumeLabel: string;
    readonly uki: string;
    readonly cmdline: readonly string[];
  };
  readonly slots: readonly {
    readonly slot: Slot;
    readonly partitionLabel: string;
    readonly uki: string;
    readonly cmdline: readonly string[];
  }[];
}

export interface Overlay {
  readonly dir: string;
  readonly permissions: readonly FilePermission[];
}

export interface FilePermission {
  readonly path: string;
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
}

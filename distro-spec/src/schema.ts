import { z } from 'zod';

/**
 * The shape of one complete variant definition, as written in a variant file (after the
 * layers of `extends` have been merged). Every object is strict: an unknown key is an error.
 */

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lowercase letters, digits, ".", "_" or "-"');

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits');

const fingerprintHex = z
  .string()
  .regex(
    /^([0-9A-F]{40}|[0-9A-F]{64})$/,
    'an OpenPGP fingerprint is 40 or 64 uppercase hex digits',
  );

const urlString = z.string().regex(/^(https?|file):\/\/\S+$/, 'an http(s):// or file:// URL');

/** A size such as `1GiB`, `512MiB`, or `rest` for the remainder of the disk. */
const sizeString = z
  .string()
  .regex(/^(\d+(KiB|MiB|GiB|TiB)|rest)$/, 'a size like 512MiB or 1GiB, or rest');

export const osReleaseSchema = z
  .record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'os-release keys are UPPER_CASE'), z.string())
  .describe('Extra os-release(5) fields; NAME, ID, VERSION_ID and PRETTY_NAME come from identity.');

export const signingKeySchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .describe('File name of the key, as repositories and signatures name it.'),
    url: urlString.describe('Where the key is published.'),
    sha256: sha256Hex.optional().describe('SHA-256 of the key file as published.'),
    fingerprint: fingerprintHex.optional().describe('OpenPGP primary key fingerprint.'),
  })
  .refine((key) => key.sha256 !== undefined || key.fingerprint !== undefined, {
    message: 'pin the key with sha256 or fingerprint',
  });

export const repositorySchema = z.strictObject({
  name: identifier.describe('Short name, unique within the variant.'),
  url: urlString.describe(
    'Base URL of the repository (APK: without the arch; RPM: the repodata parent). A file:// URL of an ISO 9660 image with a #fragment names a tree inside the image, read without mounting it: file:///srv/Rocky-10.0-x86_64-dvd1.iso#BaseOS. A # in a folder name is written %23.',
  ),
  priority: z.int().min(1).max(99).default(50).describe('Lower wins, as in dnf.'),
  keys: z
    .array(z.string().min(1))
    .min(1)
    .describe('Names of signing keys (from `keys`) trusted for it.'),
  signedMetadata: z
    .boolean()
    .default(false)
    .describe(
      "RPM: repodata/repomd.xml.asc must be published and verify with the repository's keys, as dnf's repo_gpgcheck. Packages are always checked one by one.",
    ),
});

export const serviceSchema = z.strictObject({
  name: z.string().min(1).describe('OpenRC service or systemd unit name.'),
  runlevel: z
    .enum(['sysinit', 'boot', 'default', 'shutdown'])
    .optional()
    .describe('OpenRC runlevel; not used with systemd.'),
  package: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The package that ships the init script or unit, named when the image lacks it (busybox-openrc).',
    ),
});

export const partitionSchema = z.strictObject({
  label: z.string().min(1).max(36),
  role: z.enum(['esp', 'system', 'var']),
  slot: z.enum(['a', 'b']).optional(),
  size: sizeString,
  filesystem: z.enum(['vfat', 'ext4', 'xfs', 'btrfs']),
});

export const permissionSchema = z.strictObject({
  path: z.string().regex(/^\/\S*$/, 'an absolute path inside the image'),
  mode: z.string().regex(/^0?[0-7]{3,4}$/, 'an octal mode such as 0755'),
  owner: z.string().min(1).default('root'),
  group: z.string().min(1).default('root'),
});

export const featureSchema = z.strictObject({
  description: z.string().min(1),
  enabled: z.boolean().default(false),
  packages: z.array(z.string().min(1)).default([]),
  services: z.array(serviceSchema).default([]),
});

export const secureBootSchema = z.strictObject({
  key: z
    .string()
    .min(1)
    .describe(
      'PEM private key (RSA) of the db certificate that signs systemd-boot and the UKIs, relative to this file. A pkcs11: URI is recognised but not supported yet.',
    ),
  cert: z.string().min(1).describe('X.509 certificate of that key, relative to this file.'),
  enroll: z
    .strictObject({
      keys: z
        .string()
        .min(1)
        .describe(
          'Folder with PK.auth, KEK.auth and db.auth (as sb-keys writes them), relative to this file; put on the ESP as loader/keys/<name>.',
        ),
      name: identifier
        .optional()
        .describe(
          'The folder name under loader/keys, shown in the boot menu; the variant id by default. Mode force always uses auto.',
        ),
      mode: z
        .enum(['manual', 'force'])
        .default('manual')
        .describe(
          "systemd-boot's secure-boot-enroll: manual offers the keys in the boot menu; force enrols them (as loader/keys/auto) without asking when the firmware is in setup mode, then resets the machine.",
        ),
    })
    .optional(),
});

export const definitionSchema = z.strictObject({
  id: identifier.describe('os-release ID and the prefix of every artifact name.'),
  name: z.string().min(1).describe('os-release NAME.'),
  version: z.string().regex(/^[0-9A-Za-z._~-]+$/, 'a version like 0.1.0'),
  prettyName: z.string().min(1).optional(),
  osRelease: osReleaseSchema.default({}),
  arch: z.enum(['x86_64', 'aarch64']),
  family: z.enum(['rpm', 'apk']).describe('Package format of the repositories.'),
  libc: z.enum(['glibc', 'musl']),
  init: z.enum(['systemd', 'openrc']),
  keys: z.array(signingKeySchema).min(1),
  repositories: z.array(repositorySchema).min(1),
  packages: z.array(z.string().min(1)).min(1).describe('Package names or RPM @groups.'),
  installWeakDeps: z
    .boolean()
    .default(true)
    .describe(
      'RPM: also install what packages recommend or supplement (dnf install_weak_deps). APK has no weak dependencies: ignored.',
    ),
  services: z.array(serviceSchema).default([]),
  features: z.record(identifier, featureSchema).default({}),
  kernel: z.strictObject({
    package: z.string().min(1),
    cmdline: z
      .array(z.string().min(1))
      .default([])
      .describe('Arguments common to every boot entry.'),
  }),
  live: z.strictObject({
    volumeLabel: z
      .string()
      .regex(/^[A-Z0-9_]{1,32}$/, 'an ISO 9660 volume label: A-Z, 0-9 and _, at most 32'),
    cmdline: z.array(z.string().min(1)).default([]).describe('Extra arguments for the live entry.'),
  }),
  disk: z.strictObject({
    partitions: z.array(partitionSchema).min(1),
  }),
  secureBoot: secureBootSchema
    .optional()
    .describe('Sign systemd-boot and every UKI for UEFI Secure Boot with your own db key.'),
  overlay: z
    .strictObject({
      dir: z
        .string()
        .min(1)
        .describe('Folder copied over the root filesystem, relative to this file.'),
      permissions: z.array(permissionSchema).default([]),
    })
    .optional(),
});

export type VariantDefinition = z.output<typeof definitionSchema>;
export type SigningKeyDefinition = z.output<typeof signingKeySchema>;
export type RepositoryDefinition = z.output<typeof repositorySchema>;
export type ServiceDefinition = z.output<typeof serviceSchema>;
export type PartitionDefinition = z.output<typeof partitionSchema>;
export type PermissionDefinition = z.output<typeof permissionSchema>;
export type FeatureDefinition = z.output<typeof featureSchema>;
export type SecureBootDefinition = z.output<typeof secureBootSchema>;

import { dirname, isAbsolute, resolve } from 'node:path';
import type { SecureBootDefinition } from './schema.ts';
import type { VariantSource } from './source.ts';
import type { SecureBoot } from './spec.ts';

/** Secure Boot settings given on the command line; paths are relative to the working folder. */
export interface SecureBootOverride {
  readonly key?: string;
  readonly cert?: string;
  /** Folder with PK.auth, KEK.auth and db.auth to put on the ESP. */
  readonly enrollKeys?: string;
  readonly enrollMode?: 'manual' | 'force';
}

export class SecureBootSettingsError extends Error {
  readonly code = 'secure-boot-settings';
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.name = 'SecureBootSettingsError';
    this.hint = hint;
  }
}

type PathField = 'key' | 'cert' | 'keys';

/** The one folder under loader/keys that systemd-boot enrols without asking (mode force). */
export const FORCED_ENROLMENT_NAME = 'auto';

/** A path as written in a variant file, made absolute against the file that wrote it. */
function pathOf(value: string, chain: readonly VariantSource[], field: PathField): string {
  if (value.startsWith('pkcs11:') || isAbsolute(value)) return value;
  const source = chain.find((candidate) => {
    const data = candidate.data as { secureBoot?: Record<string, unknown> } | undefined;
    const section = data?.secureBoot;
    const written =
      field === 'keys'
        ? (section?.['enroll'] as { keys?: unknown } | undefined)?.keys
        : section?.[field];
    return written === value;
  });
  return resolve(source === undefined ? '.' : dirname(source.file), value);
}

/**
 * The variant's Secure Boot settings with the command line's on top, or undefined when the
 * build is not signed. `chain` is the variant's files, the leaf first: each path is resolved
 * against the file whose value won.
 */
export function resolveSecureBoot(
  defined: SecureBootDefinition | undefined,
  chain: readonly VariantSource[],
  variantId: string,
  override: SecureBootOverride = {},
): SecureBoot | undefined {
  const fromFile = (value: string | undefined, field: PathField) =>
    value === undefined ? undefined : pathOf(value, chain, field);
  const fromCli = (value: string | undefined) =>
    value === undefined || value.startsWith('pkcs11:') ? value : resolve(value);
  const key = fromCli(override.key) ?? fromFile(defined?.key, 'key');
  const cert = fromCli(override.cert) ?? fromFile(defined?.cert, 'cert');
  const enrollKeys = fromCli(override.enrollKeys) ?? fromFile(defined?.enroll?.keys, 'keys');
  if (key === undefined && cert === undefined) {
    if (enrollKeys !== undefined) {
      throw new SecureBootSettingsError(
        'keys to enrol were given, but no key to sign with',
        'give --sb-key and --sb-cert (the db key and certificate of the enrolled keys) too',
      );
    }
    return undefined;
  }
  if (key === undefined || cert === undefined) {
    throw new SecureBootSettingsError(
      `a Secure Boot ${key === undefined ? 'certificate' : 'key'} was given without its ${key === undefined ? 'key' : 'certificate'}`,
      'give both --sb-key and --sb-cert (or secureBoot.key and secureBoot.cert)',
    );
  }
  if (enrollKeys === undefined) return { key, cert };
  const mode = override.enrollMode ?? defined?.enroll?.mode ?? 'manual';
  const named = defined?.enroll?.name;
  // systemd-boot enrols unasked only the keys in loader/keys/auto.
  if (mode === 'force' && named !== undefined && named !== FORCED_ENROLMENT_NAME) {
    throw new SecureBootSettingsError(
      `keys enrolled with mode force are always in loader/keys/${FORCED_ENROLMENT_NAME}, not ${named}`,
      `leave secureBoot.enroll.name out, or use mode manual to offer them as ${named}`,
    );
  }
  return {
    key,
    cert,
    enroll: {
      keys: enrollKeys,
      name: mode === 'force' ? FORCED_ENROLMENT_NAME : (named ?? variantId),
      mode,
    },
  };
}

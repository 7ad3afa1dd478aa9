import { createVerify } from 'node:crypto';
import type { KeyObject, Verify } from 'node:crypto';
import { PackageVerifyError } from '../packages/errors.ts';
import { describeKeySources } from './apk-keys.ts';
import type { ApkSource } from './limits.ts';

export type ApkSignatureScheme = 'RSA' | 'RSA256' | 'RSA512';

/** One `.SIGN.<scheme>.<keyname>` file of a signature member. */
export interface ApkSignature {
  readonly scheme: ApkSignatureScheme | undefined;
  /** The scheme as written, also when it is one this reader does not know. */
  readonly schemeName: string;
  readonly keyName: string;
  readonly signature: Uint8Array;
}

const HASHES: Readonly<Record<ApkSignatureScheme, string>> = {
  RSA: 'sha1',
  RSA256: 'sha256',
  RSA512: 'sha512',
};

function verifies(verify: Verify, key: KeyObject, signature: Uint8Array): boolean {
  try {
    return verify.verify(key, signature);
  } catch {
    return false;
  }
}

export const SIGNATURE_PREFIX = '.SIGN.';

/** Splits `.SIGN.RSA256.melange.rsa.pub` into its scheme and key name. */
export function parseSignatureName(
  name: string,
): Pick<ApkSignature, 'scheme' | 'schemeName' | 'keyName'> | undefined {
  if (!name.startsWith(SIGNATURE_PREFIX)) {
    return undefined;
  }
  const rest = name.slice(SIGNATURE_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1 || rest.includes('/')) {
    return undefined;
  }
  const schemeName = rest.slice(0, dot);
  const scheme = schemeName in HASHES ? (schemeName as ApkSignatureScheme) : undefined;
  return { scheme, schemeName, keyName: rest.slice(dot + 1) };
}

export interface SignaturePolicy {
  readonly keys: ReadonlyMap<string, KeyObject>;
  /** Refuse unsigned input and input signed only by keys outside `keys`. */
  readonly requireSignature: boolean;
}

function signerList(signatures: readonly ApkSignature[]): string {
  return signatures.map((s) => `${s.keyName} (${s.schemeName})`).join(', ');
}

/**
 * Checks the signatures of a signed region fed to it piece by piece. Valid when any signature
 * made with a trusted key verifies. When no signature names a trusted key the region is
 * accepted unsigned unless the policy requires a signature; a trusted signature that does not
 * verify is always refused, as apk does even with --allow-untrusted.
 */
export class SignatureCheck {
  readonly #candidates: {
    readonly signature: ApkSignature;
    readonly key: KeyObject;
    readonly verify: Verify;
  }[];

  constructor(
    readonly signatures: readonly ApkSignature[],
    policy: SignaturePolicy,
    private readonly source: ApkSource,
  ) {
    this.#candidates = signatures.flatMap((signature) => {
      const key = policy.keys.get(signature.keyName);
      if (key === undefined || signature.scheme === undefined) {
        return [];
      }
      return [{ signature, key, verify: createVerify(HASHES[signature.scheme]) }];
    });
    if (this.#candidates.length > 0 || !policy.requireSignature) {
      return;
    }
    const where = describeKeySources(policy.keys);
    throw new PackageVerifyError({
      ...source,
      message:
        signatures.length === 0
          ? 'not signed'
          : `signed by ${signerList(signatures)}, none of them a trusted key in ${where}`,
      hint:
        signatures.length === 0
          ? 'use a signed package or index, or allow unsigned input explicitly'
          : `add the signer's public key to ${where} if you trust it`,
    });
  }

  update(bytes: Uint8Array): void {
    for (const candidate of this.#candidates) {
      candidate.verify.update(bytes);
    }
  }

  /** The key name that verified, or undefined for input accepted without a trusted signature. */
  finish(): string | undefined {
    if (this.#candidates.length === 0) {
      return undefined;
    }
    for (const { signature, key, verify } of this.#candidates) {
      if (verifies(verify, key, signature.signature)) {
        return signature.keyName;
      }
    }
    throw new PackageVerifyError({
      ...this.source,
      message: `BAD signature: ${signerList(this.#candidates.map((c) => c.signature))} does not verify`,
    });
  }
}

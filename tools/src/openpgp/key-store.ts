import type { PublicKey } from './api.ts';
import type { KeyPacket } from './key-packet.ts';

/**
 * What verification needs about a key but callers should not see: the parsed packet with its
 * node:crypto key, and the primary key a subkey belongs to. Kept beside the public objects so
 * that they stay plain, frozen data.
 */
export interface KeyInternals {
  readonly packet: KeyPacket;
  /** Undefined for a primary key. */
  readonly primary: PublicKey | undefined;
}

const internals = new WeakMap<PublicKey, KeyInternals>();

export function remember(key: PublicKey, details: KeyInternals): void {
  internals.set(key, details);
}

/** Undefined for objects not made by readPublicKeys. */
export function internalsOf(key: PublicKey): KeyInternals | undefined {
  return internals.get(key);
}

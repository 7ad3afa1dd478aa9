import type { Keyring, PublicKey } from './api.ts';

function normalise(id: string): string {
  return id.replace(/\s+/g, '').toUpperCase();
}

/**
 * A lookup table over keys and their signing subkeys. When two keys share an id (the same key
 * listed twice, or a 64-bit key id collision) the first one listed wins for that id.
 */
export function createKeyring(keys: readonly PublicKey[]): Keyring {
  const byKeyId = new Map<string, PublicKey>();
  const byFingerprint = new Map<string, PublicKey>();
  const add = (key: PublicKey): void => {
    if (!byKeyId.has(key.keyId)) {
      byKeyId.set(key.keyId, key);
    }
    if (!byFingerprint.has(key.fingerprint)) {
      byFingerprint.set(key.fingerprint, key);
    }
  };
  for (const key of keys) {
    add(key);
    key.subkeys.forEach(add);
  }
  const frozen = Object.freeze([...keys]);
  return {
    keys: frozen,
    findByKeyId: (keyId) => byKeyId.get(normalise(keyId)),
    findByFingerprint: (fingerprint) => byFingerprint.get(normalise(fingerprint)),
  };
}

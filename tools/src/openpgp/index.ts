export type {
  HashAlgorithm,
  Keyring,
  PublicKey,
  PublicKeyAlgorithm,
  SignatureFailure,
  SignatureInfo,
  VerifiedSignature,
} from './api.ts';
export { SignatureError } from './errors.ts';
export { createKeyring } from './keyring.ts';
export { readPublicKeys } from './read-keys.ts';
export { readSignature, verifySignature } from './verify.ts';

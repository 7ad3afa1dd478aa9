export type {
  HashAlgorithm,
  Keyring,
  PublicKey,
  PublicKeyAlgorithm,
  SignatureDescription,
  SignatureFailure,
  SignatureInfo,
  VerifiedSignature,
} from './api.ts';
export { SignatureError } from './errors.ts';
export { createKeyring } from './keyring.ts';
export { readPublicKeys } from './read-keys.ts';
export { describeSignature, readSignature, verifySignature } from './verify.ts';

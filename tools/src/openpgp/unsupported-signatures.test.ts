import { describe, expect, it } from 'vitest';
import { createKeyring, describeSignature, readSignature, verifySignature } from './index.ts';
import { errorOf, failureOf } from './testing/failures.ts';
import {
  ML_DSA_87_ED448_SIGNATURE_BYTES,
  v6SignatureBody,
  v6SignaturePacket,
  type V6SignatureOptions,
} from './testing/v6-signature.ts';

/**
 * Signatures these tools cannot check but must read: version 6 packets by the post-quantum
 * algorithms of draft-ietf-openpgp-pqc (RHEL 10.1 signs its packages with ML-DSA-87+Ed448 beside
 * RSA) or by unassigned algorithm ids, and packets of unknown versions. A well-formed one is
 * `unsupported`, so that callers may fall back on another signature; a broken one stays
 * `malformed`.
 */

const ISSUER = Buffer.alloc(32, 0xab);
const DATA = Buffer.from('signed header bytes');

function packetOf(body: Uint8Array): Uint8Array {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([Buffer.from([0xc2, 0xff]), length, body]);
}

const withOptions = (options: V6SignatureOptions): Uint8Array =>
  v6SignaturePacket({ issuer: ISSUER, ...options });

describe('an ML-DSA-87+Ed448 version 6 signature', () => {
  it('is described with its issuer and algorithm, as one these tools cannot check', () => {
    const description = describeSignature(withOptions({ created: 1_760_000_000 }));
    expect(description).toEqual({
      version: 6,
      type: 0,
      created: 1_760_000_000,
      publicKeyAlgorithmId: 31,
      hashAlgorithmId: 10,
      algorithm: 'ML-DSA-87+Ed448 (algorithm 31)',
      issuerKeyId: 'ABABABABABABABAB',
      issuerFingerprint: 'AB'.repeat(32),
      unsupported:
        'ML-DSA-87+Ed448 (algorithm 31) is not a signature algorithm these tools can check',
    });
  });

  it('is unsupported, not malformed, for readSignature and verifySignature', () => {
    const packet = withOptions({});
    expect(failureOf(() => readSignature(packet))).toBe('unsupported');
    const error = errorOf(() => verifySignature(packet, DATA, createKeyring([]), 'pkg.rpm'));
    expect(error.failure).toBe('unsupported');
    expect(error.message).toContain('pkg.rpm');
    expect(error.message).toContain('ML-DSA-87+Ed448 (algorithm 31)');
  });

  it('is unsupported with a SHA-3 hash too, checking the salt length SHA-3 fixes', () => {
    const sha3 = withOptions({ hashAlgorithmId: 14, saltLength: 32 });
    expect(describeSignature(sha3).unsupported).toContain('ML-DSA-87+Ed448');
    expect(
      failureOf(() => readSignature(withOptions({ hashAlgorithmId: 14, saltLength: 16 }))),
    ).toBe('malformed');
    const ed25519 = withOptions({ publicKeyAlgorithmId: 27, hashAlgorithmId: 14, saltLength: 32 });
    expect(describeSignature(ed25519).unsupported).toBe(
      'hash algorithm SHA3-512 (14) is not supported',
    );
  });
});

describe('signatures by unknown algorithms and of unknown versions', () => {
  it('name the algorithm id, whatever the size of their fields', () => {
    const packet = withOptions({ publicKeyAlgorithmId: 99, signatureBytes: 7 });
    expect(describeSignature(packet).algorithm).toBe('unknown public-key algorithm 99');
    expect(errorOf(() => readSignature(packet)).message).toContain(
      'unknown public-key algorithm 99',
    );
  });

  it('accept any salt with an unassigned hash id, since its length is unknown', () => {
    const packet = withOptions({ hashAlgorithmId: 13, saltLength: 5 });
    expect(describeSignature(packet).unsupported).toContain('ML-DSA-87+Ed448');
  });

  it('are unsupported for an unknown packet version', () => {
    const body = Buffer.from(v6SignatureBody({ issuer: ISSUER }));
    body[0] = 7;
    expect(failureOf(() => describeSignature(packetOf(body)))).toBe('unsupported');
    expect(errorOf(() => readSignature(packetOf(body))).message).toContain('version 7');
  });
});

describe('broken post-quantum signatures', () => {
  it.each([
    ['a salt of the wrong length', { saltLength: 16 }, 'salt is 16 bytes, not 32'],
    ['a salt with a hash v6 may not use', { hashAlgorithmId: 2, saltLength: 0 }, 'SHA-1'],
    [
      'signature fields of the wrong size',
      { signatureBytes: ML_DSA_87_ED448_SIGNATURE_BYTES - 1 },
      'are 4740 bytes, not 4741',
    ],
    ['an SLH-DSA signature of the wrong size', { publicKeyAlgorithmId: 32 }, 'not 7856'],
  ] as const)('are malformed with %s', (_, options, message) => {
    const error = errorOf(() => describeSignature(withOptions(options)));
    expect(error.failure).toBe('malformed');
    expect(error.message).toContain(message);
  });

  it('are malformed in a version 4 packet, which the algorithm may not use', () => {
    const body = Buffer.from(v6SignatureBody({ issuer: ISSUER }));
    const hashedLength = body.readUInt32BE(4);
    const hashed = body.subarray(8, 8 + hashedLength);
    const rest = body.subarray(8 + hashedLength + 4);
    const v4 = Buffer.concat([
      Buffer.from([4, 0, 31, 10, 0, hashedLength]),
      hashed,
      Buffer.from([0, 0]),
      rest.subarray(0, 2),
      rest.subarray(2 + 1 + 32),
    ]);
    const error = errorOf(() => describeSignature(packetOf(v4)));
    expect(error.failure).toBe('malformed');
    expect(error.message).toContain('only allowed in version 6 signatures');
  });

  it('are malformed when cut short anywhere', () => {
    const body = v6SignatureBody({ issuer: ISSUER });
    for (let length = 1; length < body.length; length++) {
      expect(
        failureOf(() => describeSignature(packetOf(body.subarray(0, length)))),
        `${length}`,
      ).toBe('malformed');
    }
  });
});

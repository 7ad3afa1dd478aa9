/**
 * The Secure Boot signing key and its certificate, read and checked before a build does any
 * work: a PEM private key file (RSA, as UEFI firmware verifies), and the X.509 certificate
 * of the same key pair. Keys kept in a token (a `pkcs11:` URI) are recognised and refused for
 * now; `loadSigningKey` is where they would be opened.
 */

import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UserError } from '../core/errors.ts';
import { readChildren, readElement } from '../core/der.ts';
import type { DerElement } from '../core/der.ts';

/** Where the signing key comes from, as the user gave it. */
export interface SigningKeySource {
  /** A PEM private key file, or (not yet supported) a PKCS #11 URI. */
  readonly key: string;
  /** The PEM (or DER) X.509 certificate of that key. */
  readonly cert: string;
}

/** The parts of the certificate a signature names its signer by. */
export interface SignerCertificate {
  readonly der: Uint8Array;
  /** The issuer Name, DER. */
  readonly issuer: Uint8Array;
  /** The serialNumber INTEGER, DER. */
  readonly serialNumber: Uint8Array;
  readonly subject: string;
  readonly fingerprint256: string;
}

export interface SigningKey {
  readonly source: SigningKeySource;
  readonly privateKey: KeyObject;
  readonly certificate: SignerCertificate;
}

const MIN_RSA_BITS = 2048;

function keyError(file: string, message: string, hint: string, cause?: unknown): UserError {
  return new UserError('secure-boot-key', `${file}: ${message}`, {
    hint,
    ...(cause === undefined ? {} : { cause }),
  });
}

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw keyError(file, `cannot read the ${what}`, `give an existing ${what} file`, error);
  }
}

async function loadPrivateKey(file: string): Promise<KeyObject> {
  if (file.startsWith('pkcs11:')) {
    throw keyError(
      file,
      'keys in a PKCS #11 token are not supported yet',
      'export the db key as a PEM file, or sign with a PEM key kept offline',
    );
  }
  const bytes = await readInput(file, 'private key');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: bytes, format: 'pem' });
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(bytes.toString('latin1'));
    throw keyError(
      file,
      encrypted ? 'the private key is encrypted with a passphrase' : 'it is not a PEM private key',
      encrypted
        ? `write a decrypted copy to a protected place: openssl pkey -in ${file} -out db.key`
        : 'give the PEM private key (-----BEGIN PRIVATE KEY-----) of the db certificate',
      error,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS) {
    throw keyError(
      file,
      `it is a ${key.asymmetricKeyType ?? 'unknown'}${bits === 0 ? '' : `-${bits}`} key; UEFI firmware verifies RSA keys of ${MIN_RSA_BITS} bits or more`,
      'make an RSA key pair with the sb-keys command (acorn sb-keys --out DIR), or openssl req -newkey rsa:2048',
    );
  }
  return key;
}

function tbsFields(der: Uint8Array): { serialNumber: DerElement; issuer: DerElement } {
  const [tbs] = readChildren(readElement(der).content);
  if (tbs === undefined) throw new Error('no TBSCertificate');
  const fields = readChildren(tbs.content);
  // An explicit [0] version comes first in v2 and v3 certificates.
  const start = fields[0]?.tag === 0xa0 ? 1 : 0;
  const serialNumber = fields[start];
  const issuer = fields[start + 2];
  if (serialNumber === undefined || issuer === undefined) throw new Error('short TBSCertificate');
  return { serialNumber, issuer };
}

async function loadCertificate(file: string): Promise<{ x509: X509Certificate; der: Uint8Array }> {
  const bytes = await readInput(file, 'certificate');
  try {
    const x509 = new X509Certificate(bytes);
    return { x509, der: new Uint8Array(x509.raw) };
  } catch (error) {
    throw keyError(
      file,
      'it is not an X.509 certificate',
      'give the PEM certificate (-----BEGIN CERTIFICATE-----) of the signing key',
      error,
    );
  }
}

/** Reads the key and certificate and checks that they belong together. */
export async function loadSigningKey(source: SigningKeySource): Promise<SigningKey> {
  const privateKey = await loadPrivateKey(source.key);
  const { x509, der } = await loadCertificate(source.cert);
  if (!x509.checkPrivateKey(privateKey)) {
    throw keyError(
      source.cert,
      `the certificate (${x509.subject.replaceAll('\n', ', ')}) is not that of the key ${source.key}`,
      'give the certificate made with this key, or the key of this certificate',
    );
  }
  const publicKey = createPublicKey(privateKey);
  if (!x509.publicKey.equals(publicKey)) {
    throw keyError(source.cert, 'its public key differs from the key', 'pair them again');
  }
  const { serialNumber, issuer } = tbsFields(der);
  return {
    source,
    privateKey,
    certificate: {
      der,
      issuer: issuer.encoded,
      serialNumber: serialNumber.encoded,
      subject: x509.subject.replaceAll('\n', ', '),
      fingerprint256: x509.fingerprint256,
    },
  };
}

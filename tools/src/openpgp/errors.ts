import { messageOf, UserError } from '../core/errors.ts';
import type { SignatureFailure } from './api.ts';

const CODES: Readonly<Record<SignatureFailure, string>> = {
  malformed: 'signature-malformed',
  'no-key': 'signature-no-key',
  'bad-signature': 'signature-bad',
  unsupported: 'signature-unsupported',
};

const HINTS: Readonly<Record<SignatureFailure, string>> = {
  malformed: 'the signature or key data is damaged or not OpenPGP; fetch it again from its source',
  'no-key': 'add the public key that made this signature to the keys the variant trusts',
  'bad-signature':
    'do not use this data: it is not what the key holder signed; fetch it again and check its source',
  unsupported:
    'the signature uses an OpenPGP feature these tools do not implement; use a key or signature made with RSA, DSA, ECDSA or Ed25519',
};

/**
 * An OpenPGP signature or key that could not be used to verify something. `failure` says why;
 * the message names what was being verified (a file, a package).
 */
export class SignatureError extends UserError {
  override name = 'SignatureError';
  readonly failure: SignatureFailure;
  readonly subject: string;

  constructor(
    failure: SignatureFailure,
    subject: string,
    detail: string,
    options?: { hint?: string; cause?: unknown },
  ) {
    super(CODES[failure], `${subject}: ${detail}`, {
      hint: options?.hint ?? HINTS[failure],
      ...(options !== undefined && 'cause' in options ? { cause: options.cause } : {}),
    });
    this.failure = failure;
    this.subject = subject;
  }
}

/**
 * Thrown by the packet parsers, which do not know what is being verified; the public entry
 * points turn it into a {@link SignatureError} naming their subject.
 */
export class OpenPgpFormatError extends Error {
  override name = 'OpenPgpFormatError';
  readonly failure: 'malformed' | 'unsupported';

  constructor(failure: 'malformed' | 'unsupported', message: string) {
    super(message);
    this.failure = failure;
  }
}

export function malformed(message: string): OpenPgpFormatError {
  return new OpenPgpFormatError('malformed', message);
}

export function unsupported(message: string): OpenPgpFormatError {
  return new OpenPgpFormatError('unsupported', message);
}

/**
 * Runs a parse or verification step for `subject`, letting only {@link SignatureError} escape:
 * format errors get the subject, and anything else unexpected (a RangeError from a hostile
 * length, a crypto library rejection) is reported as malformed input.
 */
export function withSubject<T>(subject: string, what: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof SignatureError) {
      throw err;
    }
    if (err instanceof OpenPgpFormatError) {
      throw new SignatureError(err.failure, subject, `${what}: ${err.message}`, { cause: err });
    }
    const reason = messageOf(err);
    throw new SignatureError('malformed', subject, `${what}: ${reason}`, { cause: err });
  }
}

import { createRunner } from '../core/run.ts';
import { makeSecureBootKeys } from '../secure-boot/sb-keys.ts';

export interface SbKeysRequest {
  readonly out: string;
  /** Put in the certificates' common names: the variant's name, e.g. AcornOS. */
  readonly owner: string;
  readonly bin: string;
  readonly debug: boolean;
}

/** `sb-keys --out DIR`: a PK, KEK and db set with .auth files, and how to use it. */
export async function runSbKeysCommand(request: SbKeysRequest): Promise<string> {
  const keys = await makeSecureBootKeys(createRunner({ debug: request.debug }), {
    out: request.out,
    owner: request.owner,
  });
  return [
    `Secure Boot keys for ${request.owner} in ${keys.dir} (signature owner ${keys.owner}):`,
    '  PK, KEK, db: .key (private, keep it safe), .crt (PEM), .cer (DER), .esl, .auth',
    `sign a build:   ${request.bin} iso --sb-key ${keys.dbKey} --sb-cert ${keys.dbCert}`,
    `and enrol them: add --sb-enroll ${keys.dir} (systemd-boot enrols them in setup mode)`,
    '',
  ].join('\n');
}

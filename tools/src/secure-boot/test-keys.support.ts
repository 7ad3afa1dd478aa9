import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { selfSignedCertificateArgv } from './sb-keys.ts';

/**
 * A throwaway RSA key and self-signed certificate for tests, `<name>.key` and `<name>.crt` in
 * `dir` (openssl, as sb-keys makes them).
 */
export function makeTestCertificate(dir: string, name: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  const [program = 'openssl', ...args] = selfSignedCertificateArgv(name, key, cert, 30);
  execFileSync(program, args, { stdio: 'ignore' });
  return { key, cert };
}

import { join } from 'node:path';
import { execa } from 'execa';
import { HOST_TOOLS } from '@levitate/tools';

/**
 * The build options that sign with Debian's ovmf test key, which OVMF_VARS_4M.snakeoil.fd
 * trusts. Debian ships the key encrypted with the passphrase "snakeoil"; a decrypted copy is
 * written to `dir`.
 */
export async function testKeySigningOptions(dir: string): Promise<string[]> {
  const key = join(dir, 'test-key.pem');
  await execa('openssl', [
    'pkey',
    '-in',
    HOST_TOOLS.secureBootTestKey.path,
    '-passin',
    'pass:snakeoil',
    '-out',
    key,
  ]);
  return ['--sb-key', key, '--sb-cert', HOST_TOOLS.secureBootTestCert.path];
}

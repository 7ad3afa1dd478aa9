import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@levitate/tools';
import type { Runner } from '@levitate/tools';

/** File name of the public key in `keys/`, as Rocky names its `RPM-GPG-KEY-Rocky-10`. */
export const RPM_KEY_NAME = 'RPM-GPG-KEY-levitate-fixture';
export const RPM_KEY_USER_ID = 'LevitateOS fixture signing key <fixture@levitateos.invalid>';

/**
 * gpg's clock for key creation and every signature, from the fixture epoch: with one key, the
 * signatures of two builds are byte-identical (RSA PKCS#1 v1.5 signatures are deterministic).
 */
export function gpgTime(epoch: number): string {
  return `${new Date(epoch * 1000).toISOString().replace(/[-:]|\.\d+Z$/g, '')}!`;
}

/** An OpenPGP key in a private GNUPGHOME, which gpg (and so rpmsign) signs with. */
export interface RpmSigningKey {
  readonly gnupgHome: string;
  readonly fingerprint: string;
  /** ASCII-armoured public key, the `keys/RPM-GPG-KEY-levitate-fixture` file. */
  readonly publicKey: string;
  /** ASCII-armoured secret key without passphrase, to sign another build with the same key. */
  readonly secretKey: string;
  /** Stops the gpg-agent and removes the GNUPGHOME. */
  dispose(): Promise<void>;
}

function gpgArgs(home: string, epoch: number): string[] {
  return [
    'gpg',
    '--homedir',
    home,
    '--batch',
    '--no-tty',
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    '',
    '--faked-system-time',
    gpgTime(epoch),
  ];
}

function primaryFingerprint(colons: string): string {
  const fingerprint = /^fpr:(?::[^:\n]*){7}:([0-9A-F]{40}):/m.exec(colons)?.[1];
  if (fingerprint === undefined) {
    throw new Error('gpg lists no fingerprint for the fixture key');
  }
  return fingerprint;
}

/**
 * A fresh RSA 3072 signing key, created as of `epoch` in a private GNUPGHOME without passphrase;
 * or `secretKey` (from an earlier build's {@link RpmSigningKey.secretKey}) imported there.
 */
export async function createRpmSigningKey(
  runner: Runner,
  epoch: number,
  secretKey?: string,
): Promise<RpmSigningKey> {
  // gpg-agent's socket lives in GNUPGHOME: keep the path short.
  const home = await mkdtemp(join(tmpdir(), 'gpg-'));
  const gpg = gpgArgs(home, epoch);
  const env = { GNUPGHOME: home };
  const dispose = async () => {
    await runner
      .run(['gpgconf', '--homedir', home, '--kill', 'all'], { env })
      .catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  };
  try {
    if (secretKey === undefined) {
      await runner.run([...gpg, '--quick-gen-key', RPM_KEY_USER_ID, 'rsa3072', 'sign', 'never'], {
        env,
        timeoutMs: 120_000,
      });
    } else {
      const file = join(home, 'import.asc');
      await writeFile(file, secretKey);
      await runner.run([...gpg, '--import', file], { env });
    }
    const listed = await runner.run([...gpg, '--with-colons', '--list-secret-keys'], { env });
    const fingerprint = primaryFingerprint(listed.stdout);
    const exported = await runner.run([...gpg, '--armor', '--export', fingerprint], { env });
    const secret = await runner.run([...gpg, '--armor', '--export-secret-keys', fingerprint], {
      env,
    });
    return {
      gnupgHome: home,
      fingerprint,
      publicKey: exported.stdout,
      secretKey: secret.stdout,
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** The absolute path of a program in PATH, as rpm execs it without searching. */
function hostProgram(name: string): string {
  const dirs = (process.env.PATH ?? '/usr/bin:/bin').split(':').filter((dir) => dir !== '');
  const found = dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
  if (found === undefined) {
    throw new UserError('tool-missing', `${name} is not available on this host`, {
      hint: "install Debian's gnupg package (apt-get install gnupg)",
    });
  }
  return found;
}

/**
 * Signs `files` in place with `rpmsign --addsign`: gpg from `key`'s GNUPGHOME, its clock at
 * `epoch`, so that the signature packets are the same on every build.
 */
export async function signRpms(
  runner: Runner,
  key: RpmSigningKey,
  epoch: number,
  files: readonly string[],
): Promise<void> {
  if (files.length === 0) return;
  const extra = [
    '--batch',
    '--no-tty',
    '--pinentry-mode loopback',
    "--passphrase ''",
    `--faked-system-time ${gpgTime(epoch)}`,
  ].join(' ');
  await runner.run(
    [
      'rpmsign',
      '--addsign',
      // Debian's rpm names /usr/bin/gpg2, which Debian does not ship.
      '--define',
      `__gpg ${hostProgram('gpg')}`,
      '--define',
      `_gpg_name ${key.fingerprint}`,
      '--define',
      `_gpg_path ${key.gnupgHome}`,
      '--define',
      '_gpg_digest_algo sha256',
      '--define',
      `_gpg_sign_cmd_extra_args ${extra}`,
      ...files,
    ],
    { env: { GNUPGHOME: key.gnupgHome }, timeoutMs: 900_000 },
  );
}

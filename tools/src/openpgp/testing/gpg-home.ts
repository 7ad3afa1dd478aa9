import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublicKeyAlgorithm } from '../api.ts';

/**
 * Test support: a throwaway GnuPG home with one signing key per algorithm, made by the host's
 * `gpg`, and a signing RSA subkey on the Ed25519 key.
 */

export const GPG_ALGORITHMS = [
  { gpgAlgo: 'rsa2048', algorithm: 'rsa' },
  { gpgAlgo: 'dsa2048', algorithm: 'dsa' },
  { gpgAlgo: 'nistp256', algorithm: 'ecdsa' },
  { gpgAlgo: 'ed25519', algorithm: 'eddsa' },
] as const satisfies readonly { gpgAlgo: string; algorithm: PublicKeyAlgorithm }[];

export type GpgAlgo = (typeof GPG_ALGORITHMS)[number]['gpgAlgo'];

/** A key as `gpg --with-colons --fingerprint` lists it. */
export interface ListedKey {
  readonly fingerprint: string;
  readonly keyId: string;
  readonly created: number;
}

export function gpgUserId(gpgAlgo: GpgAlgo): string {
  return `Test ${gpgAlgo} <${gpgAlgo}@example.org>`;
}

export class GpgHome {
  private readonly keys = new Map<GpgAlgo, ListedKey>();
  private signingSubkey: ListedKey | undefined;

  private constructor(private readonly home: string) {}

  static create(): GpgHome {
    const home = new GpgHome(mkdtempSync(join(tmpdir(), 'openpgp-test-')));
    for (const { gpgAlgo } of GPG_ALGORITHMS) {
      home.gpg(['--quick-gen-key', gpgUserId(gpgAlgo), gpgAlgo, 'sign', 'never']);
      const [primary] = home.list(gpgUserId(gpgAlgo));
      if (primary === undefined) {
        throw new Error(`gpg made no ${gpgAlgo} key`);
      }
      home.keys.set(gpgAlgo, primary);
    }
    home.gpg(['--quick-add-key', home.key('ed25519').fingerprint, 'rsa2048', 'sign']);
    home.signingSubkey = home.list(gpgUserId('ed25519'))[1];
    return home;
  }

  key(gpgAlgo: GpgAlgo): ListedKey {
    const found = this.keys.get(gpgAlgo);
    if (found === undefined) {
      throw new Error(`no ${gpgAlgo} key`);
    }
    return found;
  }

  /** The RSA signing subkey of the Ed25519 key. */
  subkey(): ListedKey {
    if (this.signingSubkey === undefined) {
      throw new Error('gpg made no subkey');
    }
    return this.signingSubkey;
  }

  /** A detached signature by exactly this key (`!` stops gpg from picking a subkey). */
  sign(fingerprint: string, data: Uint8Array, ...options: string[]): Uint8Array {
    const args = ['--local-user', `${fingerprint}!`, ...options, '--detach-sign'];
    return new Uint8Array(this.gpg(args, data));
  }

  /** `gpg --export` with the given options and key names (all keys when none are named). */
  exported(...options: string[]): Uint8Array {
    return new Uint8Array(this.gpg(['--export', ...options]));
  }

  dispose(): void {
    execFileSync('gpgconf', ['--homedir', this.home, '--kill', 'gpg-agent']);
    rmSync(this.home, { recursive: true, force: true });
  }

  /** `pub`/`sub` records with the `fpr` line that follows each. */
  private list(uid: string): ListedKey[] {
    const lines = this.gpg(['--with-colons', '--fingerprint', '--fingerprint', uid])
      .toString()
      .split('\n');
    const keys: ListedKey[] = [];
    lines.forEach((line, index) => {
      const fields = line.split(':');
      if (fields[0] === 'pub' || fields[0] === 'sub') {
        const fingerprint = lines[index + 1]?.split(':')[9] ?? '';
        keys.push({ fingerprint, keyId: fields[4] ?? '', created: Number(fields[5]) });
      }
    });
    return keys;
  }

  private gpg(args: readonly string[], input?: Uint8Array): Buffer {
    const base = ['--homedir', this.home, '--batch', '--quiet', '--pinentry-mode', 'loopback'];
    return execFileSync('gpg', [...base, '--passphrase', '', ...args], {
      input: input ?? Buffer.alloc(0),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }
}

/**
 * The builders under faults and hostile input, run as a user runs them: every failure is a
 * UserError (exit 2) naming the file and what to do, never exit 70 ("a bug in the tools"), and
 * output into a closed pipe ends quietly. Verdicts on damaged packages are compared with
 * `rpm -K --nosignature`.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '@levitate/tools';
import { BUILDER_BINS } from './workspace.ts';
import type { BuilderName } from './workspace.ts';

const BCC = fixture('rpm', 'distro', 'bcc-lua-0.10.0-86.12.x86_64.rpm');
const CORRUPTED = fixture(
  'rpm',
  'synthetic',
  'rpm-software-management_rpm',
  'RPMS',
  'hello-2.0-1.x86_64-corrupted.rpm',
);
const CENTOS = fixture('repodata', 'centos-stream-9-baseos-x86_64');
/** The unprivileged user the permission tests run as when the suite runs as root. */
const NOBODY = 65534;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-faults-'));
  await chmod(dir, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli(bin: BuilderName, args: string[], options: { asNobody?: boolean } = {}) {
  const node = [process.execPath, BUILDER_BINS[bin], ...args];
  const dropped =
    options.asNobody === true && process.getuid?.() === 0
      ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...node]
      : node;
  const [command = '', ...rest] = dropped;
  return execa(command, rest, { reject: false, cwd: tmpdir(), timeout: 60_000 });
}

async function rpmCheck(file: string) {
  const dbpath = await mkdtemp(join(dir, 'rpmdb-'));
  return execa('rpm', ['-K', '--nosignature', '--dbpath', dbpath, file], { reject: false });
}

/**
 * Runs a builder with its stdout piped into `head -c 0`, which exits without reading: the pipe
 * has no reader left long before the builder, a couple of seconds in, writes its output.
 */
async function intoClosedPipe(bin: BuilderName, args: string[]) {
  const child = spawn(process.execPath, [BUILDER_BINS[bin], ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: tmpdir(),
  });
  const reader = spawn('head', ['-c', '0'], { stdio: [child.stdout, 'ignore', 'ignore'] });
  child.stdout.destroy();
  await once(reader, 'exit');
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [exitCode, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { exitCode, signal, stderr };
}

async function firstHalf(file: string, name: string): Promise<string> {
  const bytes = await readFile(file);
  const out = join(dir, name);
  await writeFile(out, bytes.subarray(0, Math.floor(bytes.length / 2)));
  return out;
}

describe('inspect on a damaged package', () => {
  it('refuses a truncated RPM as rpm -K does, and shows it only with --no-verify', async () => {
    const half = await firstHalf(BCC, 'half-bcc.rpm');
    const [reference, refused, shown, whole] = await Promise.all([
      rpmCheck(half),
      cli('leviso', ['inspect', half, '--json']),
      cli('leviso', ['inspect', half, '--json', '--no-verify']),
      cli('leviso', ['inspect', BCC, '--json']),
    ]);
    expect(reference.exitCode).toBe(1);
    expect(reference.stdout).toContain('DIGESTS NOT OK');
    expect(refused.exitCode).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`${half}): the file is truncated`);
    expect(refused.stderr).toMatch(/digest mismatch: payload-sha256 is [0-9a-f]{64}, expected/);
    expect(whole.exitCode).toBe(0);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toBe(whole.stdout);
    expect(shown.stderr).toMatch(/^warning: NOT VERIFIED, shown because of --no-verify: /);
  });

  it("refuses rpm's corrupted test package as rpm -K does, naming the payload digest", async () => {
    const [reference, refused] = await Promise.all([
      rpmCheck(CORRUPTED),
      cli('leviso', ['inspect', CORRUPTED]),
    ]);
    expect(reference.exitCode).toBe(1);
    expect(reference.stdout).toContain('DIGESTS NOT OK');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/: digest mismatch: payload-sha256 is e3b0c442/);
  });

  it('calls a truncated APK truncated', async () => {
    const half = await firstHalf(
      fixture('apk', 'alpine', 'alpine-baselayout-3.2.0-r23.apk'),
      'half-baselayout.apk',
    );
    const result = await cli('acorn', ['inspect', half]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(": truncated: the data part's gzip stream ends early");
  });
});

describe('inspect on what is not a readable package file', () => {
  it('refuses a folder, a FIFO and a missing file with exit 2, naming the path', async () => {
    const folder = join(dir, 'packages.apk');
    await mkdir(folder);
    const fifo = join(dir, 'pipe.rpm');
    await execa('mkfifo', [fifo]);
    const missing = join(dir, 'missing.rpm');
    const [ofFolder, ofFifo, ofMissing] = await Promise.all([
      cli('acorn', ['inspect', folder]),
      cli('leviso', ['inspect', fifo]),
      cli('leviso', ['inspect', missing]),
    ]);
    expect([ofFolder.exitCode, ofFifo.exitCode, ofMissing.exitCode]).toEqual([2, 2, 2]);
    expect(ofFolder.stderr).toContain(`error: ${folder} is a folder, not a .apk package`);
    expect(ofFifo.stderr).toContain(`error: ${fifo} is a FIFO (named pipe), not a regular file`);
    expect(ofMissing.stderr).toContain(`error: ${missing}: no such file`);
  });

  it('refuses an unreadable package and variant file with exit 2', async () => {
    const secret = join(dir, 'secret.rpm');
    await writeFile(secret, await readFile(BCC));
    await chmod(secret, 0o000);
    const variant = join(dir, 'secret.yaml');
    await writeFile(variant, 'extends: acorn\n');
    await chmod(variant, 0o000);
    const child = join(dir, 'child-of-secret.yaml');
    await writeFile(child, 'extends: secret.yaml\n');
    const [inspect, spec, extended] = await Promise.all([
      cli('leviso', ['inspect', secret], { asNobody: true }),
      cli('acorn', ['spec', '--variant-file', variant], { asNobody: true }),
      cli('acorn', ['spec', '--variant-file', child], { asNobody: true }),
    ]);
    expect(inspect.exitCode).toBe(2);
    expect(inspect.stderr).toContain(`error: ${secret} cannot be read: permission denied`);
    expect(spec.exitCode).toBe(2);
    expect(spec.stderr).toContain(`${variant}:1:1: cannot be read: permission denied`);
    expect(extended.exitCode).toBe(2);
    expect(extended.stderr).toContain(`${child}:1:10: extends: "secret.yaml" (${variant})`);
  });
});

describe('variant files that read as crashes before', () => {
  it('reports a folder, an alias bomb and a duplicate key at file:line:col with exit 2', async () => {
    const folder = join(dir, 'folder.yaml');
    await mkdir(folder);
    const extendsFolder = join(dir, 'extends-folder.yaml');
    await writeFile(extendsFolder, 'extends: folder.yaml\n');
    const bomb = join(dir, 'bomb.yaml');
    const levels = Array.from({ length: 8 }, (_, index) => {
      const items = Array.from({ length: 9 }, () => `*l${index}`).join(', ');
      return `l${index + 1}: &l${index + 1} [${items}]`;
    });
    await writeFile(
      bomb,
      ['extends: acorn', 'l0: &l0 [a, a, a, a, a, a, a, a, a]', ...levels].join('\n'),
    );
    const duplicate = join(dir, 'duplicate.yaml');
    await writeFile(duplicate, 'extends: acorn\nname: One\nname: Two\n');
    const results = await Promise.all(
      [folder, extendsFolder, bomb, duplicate].map((file) =>
        cli('acorn', ['spec', '--variant-file', file]),
      ),
    );
    expect(results.map((result) => result.exitCode)).toEqual([2, 2, 2, 2]);
    const [ofFolder, ofExtends, ofBomb, ofDuplicate] = results.map((result) => result.stderr);
    expect(ofFolder).toContain(`${folder}:1:1: a folder, not a variant file`);
    expect(ofExtends).toContain(`${extendsFolder}:1:10: extends: "folder.yaml" (${folder})`);
    expect(ofBomb).toMatch(new RegExp(`${bomb}:\\d+:\\d+: alias \\*l\\d expands too far`));
    expect(ofDuplicate).toContain(
      `${duplicate}:3:1: name: key "name" is written twice in this mapping (first at line 2, col 1); keep one`,
    );
    for (const stderr of results.map((result) => result.stderr)) {
      expect(stderr).not.toContain('this is a bug in the tools');
    }
  });

  it('refuses to remove a package the inherited list does not hold', async () => {
    const file = join(dir, 'remove.yaml');
    await writeFile(file, 'extends: acorn\npackages: { remove: [busybox, vim] }\n');
    const result = await cli('acorn', ['spec', '--variant-file', file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `${file}:2:31: packages.remove[1]: cannot remove "vim": the inherited list has no such item`,
    );
  });
});

describe('output into a pipe whose reader has gone', () => {
  it.each([
    ['inspect', ['inspect', BCC, '--json']],
    [
      'resolve --json',
      ['resolve', '--repo', CENTOS, '--packages', 'bash', '--json', '--offline', '--cache', dir],
    ],
  ])('%s ends with 128 + SIGPIPE and no message', async (_name, args) => {
    const result = await intoClosedPipe('leviso', args);
    expect(result.signal).toBeNull();
    expect(result.exitCode).toBe(141);
    expect(result.stderr).not.toMatch(/EPIPE|error|Unhandled/);
  });
});

describe('a --repo folder without its index', () => {
  it('says the index is missing there and names the folder that holds one', async () => {
    const tree = join(dir, 'Rocky/BaseOS/x86_64');
    await mkdir(tree, { recursive: true });
    await symlink(CENTOS, join(tree, 'os'));
    const given = join(dir, 'Rocky/BaseOS');
    const result = await cli('leviso', [
      'resolve',
      '--repo',
      given,
      '--packages',
      'bash',
      '--offline',
      '--cache',
      join(dir, 'cache'),
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `no RPM repository at ${given}: its index is missing, there is no repodata/repomd.xml in it`,
    );
    expect(result.stderr).toContain(`hint: use --repo ${join(tree, 'os')}, which holds`);
    expect(result.stderr).not.toContain('without --offline');
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVariant } from '@levitate/distro-spec';
import type { VariantSpec } from '@levitate/distro-spec';
import { BUILDERS, BUILDER_BINS, nxBuildTarget } from './workspace.ts';
import type { BuilderName } from './workspace.ts';

async function cli(bin: BuilderName, args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [BUILDER_BINS[bin], ...args], {
    reject: false,
    env,
    cwd: tmpdir(),
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(Object.keys(BUILDER_BINS) as BuilderName[])('%s', (bin) => {
  it('prints the validated variant as JSON, from any working directory', async () => {
    const result = await cli(bin, ['spec', '--json']);
    expect(result.exitCode).toBe(0);
    const printed = JSON.parse(result.stdout) as VariantSpec;
    expect(printed).toEqual(JSON.parse(JSON.stringify(await loadVariant(BUILDERS[bin].variant))));
  });

  it('prints a readable summary by default', async () => {
    const result = await cli(bin, ['spec']);
    const spec = await loadVariant(BUILDERS[bin].variant);
    expect(result.stdout).toContain(spec.prettyName);
    expect(result.stdout).toContain(spec.boot.slots[0]?.uki);
  });

  it('lists its commands in --help', async () => {
    const result = await cli(bin, ['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/spec \[options\][\s\S]*doctor/);
  });

  it('names every missing build tool and the one apt-get line to install them', async () => {
    const result = await cli(bin, ['doctor'], { PATH: join(dir, 'empty-path') });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('what build needs on this host:');
    expect(result.stdout).toContain(
      "MISSING xorriso: master the hybrid ISO; Debian package 'xorriso'",
    );
    expect(result.stdout).toContain(
      'install what is missing: apt-get install grub-common mtools xorriso',
    );
    expect(result.stdout).not.toMatch(/objcopy|qemu|OVMF|edk2/);
    expect(result.stderr).toContain('host requirements are missing');
    expect(result.stderr).toContain('hint: apt-get install grub-common mtools xorriso');
  });

  it('checks for QEMU and the UEFI firmware with --for run', async () => {
    const result = await cli(bin, ['doctor', '--for', 'run'], { PATH: join(dir, 'empty-path') });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('what run needs on this host:');
    expect(result.stdout).toContain(
      "MISSING qemu-system-x86_64: boot the built ISO in a virtual machine; Debian package 'qemu-system-x86'",
    );
    expect(result.stdout).toContain('/usr/share/qemu/firmware/60-edk2-x86_64.json');
    expect(result.stdout).not.toContain('xorriso');
    expect(result.stderr).toMatch(/^hint: apt-get install (ovmf )?qemu-system-x86$/m);
  });

  it('checks the build tools before building', async () => {
    const result = await cli(bin, [BUILDERS[bin].buildVerb, '--out', join(dir, `${bin}-out`)], {
      PATH: join(dir, 'empty-path'),
    });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('grub-mkimage is not available on this host');
    expect(result.stderr).toContain('hint: apt-get install grub-common mtools xorriso');
  });

  it('names the nx task that builds the ISO when run has none to boot', async () => {
    const result = await cli(bin, ['run', '--iso', join(dir, 'none.iso')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`hint: build it first: npx nx run ${nxBuildTarget(bin)}`);
  });
});

describe('a broken variant file', () => {
  it('gets one message listing every problem with file:line:col, and exit code 2', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(
      file,
      'extends: acorn\nid: Bad\nversion: [1]\nlive: { volumeLabel: ok, colour: blue }\n',
    );
    const result = await cli('acorn', ['spec', '--variant-file', file]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n').slice(0, 5)).toEqual([
      'error: variant "broken" is invalid (4 problems):',
      `  ${file}:2:5: id: use lowercase letters, digits, ".", "_" or "-", got "Bad"`,
      `  ${file}:3:10: version: expected string, got list [1]`,
      `  ${file}:4:22: live.volumeLabel: an ISO 9660 volume label: A-Z, 0-9 and _, at most 32, got "ok"`,
      `  ${file}:4:26: live.colour: unknown key "colour"`,
    ]);
  });
});

describe('repository overrides on the command line', () => {
  it('points acorn at a local folder and a key folder', async () => {
    const result = await cli('acorn', [
      'spec',
      '--json',
      '--repo',
      dir,
      '--keys',
      join(dir, 'keys'),
    ]);
    const spec = JSON.parse(result.stdout) as VariantSpec;
    expect(spec.repositories).toEqual([
      expect.objectContaining({
        url: `file://${dir}`,
        keysDir: join(dir, 'keys'),
        origin: 'override',
      }),
    ]);
  });
});

describe('when the variant mirrors fail', () => {
  /** An AcornOS variant file whose repositories are at the given URLs. */
  async function acornWithMirrors(urls: Record<string, string>): Promise<string> {
    const file = join(dir, `mirrors-${Object.keys(urls).join('-')}.yaml`);
    const repositories = Object.entries(urls)
      .map(
        ([name, url]) =>
          `  - name: ${name}\n    url: ${url}\n    keys: [alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub]\n`,
      )
      .join('');
    await writeFile(file, `extends: acorn\nrepositories:\n${repositories}`);
    return file;
  }

  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url?.startsWith('/alpine/main/') ? 200 : 404;
      response.end('not an index');
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
  });

  const build = (variantFile: string, extra: string[] = []) =>
    cli('acorn', [
      'iso',
      '--variant-file',
      variantFile,
      '--cache',
      join(dir, 'mirror-cache'),
      '--out',
      join(dir, 'mirror-out'),
      '--log-format',
      'plain',
      ...extra,
    ]);

  it('stops on a repository that answers 404, naming it, instead of using the fixture', async () => {
    const result = await build(
      await acornWithMirrors({ main: `${origin}/alpine/main`, community: `${origin}/typo` }),
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`repository community (${origin}/typo) cannot be used`);
    expect(result.stderr).toContain('HTTP 404');
    expect(result.stderr).not.toContain('FIXTURE');
  });

  it('builds --offline from the cache only, never from the fixture', async () => {
    const result = await build(
      await acornWithMirrors({ main: `${origin}/alpine/main`, community: `${origin}/typo` }),
      ['--offline'],
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('not in the cache');
    expect(result.stderr).not.toContain('FIXTURE');
  });
});

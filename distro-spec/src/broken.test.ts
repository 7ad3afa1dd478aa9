import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError, loadVariant } from './index.ts';
import type { SpecProblem } from './index.ts';
import { useVariantFolder } from './variant-files.support.ts';

const folder = useVariantFolder('distro-spec');
const write = (name: string, text: string) => folder.write(name, text);

async function problemsOf(file: string): Promise<SpecProblem[]> {
  const error: unknown = await loadVariant(file).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SpecError);
  return [...(error as SpecError).problems];
}

const VALID_TAIL = `
keys:
  - name: k.pub
    url: https://example.org/k.pub
    sha256: ${'a'.repeat(64)}
repositories:
  - { name: main, url: https://example.org/main, keys: [k.pub] }
packages: [base]
kernel: { package: linux }
live: { volumeLabel: TEST }
disk:
  partitions:
    - { label: EFI, role: esp, size: 1GiB, filesystem: vfat }
    - { label: system-a, role: system, slot: a, size: 4GiB, filesystem: ext4 }
    - { label: system-b, role: system, slot: b, size: 4GiB, filesystem: ext4 }
    - { label: var, role: var, size: rest, filesystem: ext4 }
`;

describe('a broken variant file', () => {
  it('reports a wrong type, an unknown key and a missing field together, each at file:line:col', async () => {
    const file = await write(
      'broken.yaml',
      `id: broken
name: Broken
version: 1.0
arch: x86
family: apk
libc: musl
init: openrc
colour: green
${VALID_TAIL}`,
    );
    const problems = await problemsOf(file);
    expect(problems).toEqual([
      { file, line: 3, col: 10, path: 'version', message: 'expected string, got number 1' },
      {
        file,
        line: 4,
        col: 7,
        path: 'arch',
        message: 'expected one of "x86_64", "aarch64", got "x86"',
      },
      { file, line: 8, col: 1, path: 'colour', message: 'unknown key "colour"' },
    ]);
  });

  it('reports missing required fields at the mapping that lacks them', async () => {
    const file = await write(
      'missing.yaml',
      `id: missing
name: Missing
version: '1'
arch: x86_64
family: rpm
libc: glibc
init: systemd
${VALID_TAIL.replace('kernel: { package: linux }', 'kernel: { cmdline: [quiet] }')}`,
    );
    const problems = await problemsOf(file);
    expect(problems).toEqual([
      {
        file,
        line: 16,
        col: 9,
        path: 'kernel.package',
        message: 'missing required field (expected string)',
      },
    ]);
  });

  it('puts every problem in one message, one line each', async () => {
    const file = await write('two.yaml', `id: Bad Id\nname: 3\n${VALID_TAIL}`);
    const error = (await loadVariant(file).catch((thrown: unknown) => thrown)) as SpecError;
    expect(error.message).toContain(`${file}:1:5: id: use lowercase letters`);
    expect(error.message).toContain(`${file}:2:7: name: expected string, got number 3`);
    expect(error.message).toMatch(/invalid \(\d+ problems\)/);
    expect(error.hint).toContain('variant.schema.json');
  });

  it('reports YAML syntax errors with their position', async () => {
    const file = await write('syntax.yaml', 'id: x\nname: [unclosed\nversion: 1\n');
    const problems = await problemsOf(file);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file, line: expect.any(Number) as number });
  });

  it('refuses a duplicate key in a mapping', async () => {
    const file = await write('dup.yaml', `id: a\nid: b\n${VALID_TAIL}`);
    const problems = await problemsOf(file);
    expect(problems[0]).toMatchObject({ file, line: 2 });
  });

  it('checks rules that span fields after merging', async () => {
    const file = await write(
      'rules.yaml',
      `id: rules
name: Rules
version: '1'
arch: x86_64
family: apk
libc: musl
init: openrc
services: [{ name: sshd }]
${VALID_TAIL.replace('keys: [k.pub]', 'keys: [other.pub]')}`,
    );
    const messages = (await problemsOf(file)).map(
      (problem) => `${problem.line}: ${problem.message}`,
    );
    expect(messages).toEqual([
      '8: OpenRC service "sshd" needs a runlevel',
      expect.stringMatching(/^15: no key named "other.pub" in keys/),
    ]);
  });
});

describe('a broken extends chain', () => {
  const parent = `id: parent
name: Parent
version: '1'
arch: x86_64
family: apk
libc: musl
init: openrc
${VALID_TAIL}`;

  it('locates a problem in the child file that wrote it', async () => {
    await write('parent.yaml', parent);
    const child = await write(
      'child.yaml',
      'extends: parent.yaml\nid: child\nlive: { volumeLabel: lower }\n',
    );
    const problems = await problemsOf(child);
    expect(problems).toEqual([
      expect.objectContaining({ file: child, line: 3, col: 22, path: 'live.volumeLabel' }),
    ]);
  });

  it('locates a problem in the parent file when the parent wrote it', async () => {
    await write('parent.yaml', parent.replace("version: '1'", 'version: [1]'));
    const child = await write('child.yaml', 'extends: parent.yaml\nid: child\n');
    const problems = await problemsOf(child);
    expect(problems).toEqual([
      expect.objectContaining({ file: join(folder.dir, 'parent.yaml'), line: 3, path: 'version' }),
    ]);
  });

  it('applies list deltas from the child', async () => {
    await write('parent.yaml', parent.replace('packages: [base]', 'packages: [base, extra]'));
    const child = await write(
      'child.yaml',
      'extends: parent.yaml\npackages: { add: [tool], remove: [extra] }\n',
    );
    const spec = await loadVariant(child);
    expect(spec.packages).toEqual(['base', 'tool']);
    expect(spec.files).toEqual([join(folder.dir, 'parent.yaml'), child]);
  });

  it('refuses a cycle and a missing parent', async () => {
    await mkdir(join(folder.dir, 'loop'));
    await write('loop/a.yaml', 'extends: b.yaml\n');
    await write('loop/b.yaml', 'extends: a.yaml\n');
    expect((await problemsOf(join(folder.dir, 'loop/a.yaml')))[0]?.message).toMatch(/leads back/);
    const orphan = await write('orphan.yaml', 'extends: nowhere\n');
    expect((await problemsOf(orphan))[0]).toMatchObject({
      file: orphan,
      line: 1,
      col: 10,
      path: 'extends',
    });
  });

  it('names a missing overlay folder', async () => {
    const file = await write('overlay.yaml', `${parent}overlay: { dir: no-such-dir }\n`);
    const problems = await problemsOf(file);
    expect(problems[0]).toMatchObject({
      path: 'overlay.dir',
      message: expect.stringContaining('no-such-dir') as string,
    });
  });
});

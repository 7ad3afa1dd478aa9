import { mkdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError, loadVariant } from './index.ts';
import type { SpecProblem } from './index.ts';
import { useVariantFolder } from './variant-files.support.ts';

const folder = useVariantFolder('distro-spec-hostile');
const write = (name: string, text: string) => folder.write(name, text);

async function failure(file: string): Promise<SpecError> {
  const error: unknown = await loadVariant(file).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

async function problemsOf(file: string): Promise<SpecProblem[]> {
  return [...(await failure(file)).problems];
}

/** Nine lists of nine aliases of the list before: 9^9 values once expanded. */
function aliasBomb(): string {
  const lines = ['extends: acorn', 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= 8; level += 1) {
    const items = Array.from({ length: 9 }, () => `*l${level - 1}`).join(', ');
    lines.push(`l${level}: &l${level} [${items}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('hostile YAML', () => {
  it('stops an alias bomb at the alias that multiplies, with file:line:col', async () => {
    const file = await write('bomb.yaml', aliasBomb());
    const problems = await problemsOf(file);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem?.file).toBe(file);
    // Line 3 holds the first aliases; the bomb is stopped within the aliases, not at 1:1.
    expect(problem?.line).toBeGreaterThanOrEqual(3);
    expect(problem?.col).toBeGreaterThan(1);
    expect(problem?.message).toMatch(/^alias \*l\d expands too far: .*billion laughs/);
  });

  it('names an alias that has no anchor', async () => {
    const file = await write('alias.yaml', 'extends: acorn\nname: *nowhere\n');
    expect(await problemsOf(file)).toEqual([
      {
        file,
        line: 2,
        col: 7,
        path: '',
        message: 'alias *nowhere has no anchor &nowhere before it',
      },
    ]);
  });

  it('names a duplicate key, where it is written again and where first', async () => {
    const file = await write(
      'dup.yaml',
      'extends: acorn\nlive:\n  volumeLabel: ONE\n  volumeLabel: TWO\n',
    );
    expect(await problemsOf(file)).toEqual([
      {
        file,
        line: 4,
        col: 3,
        path: 'live.volumeLabel',
        message:
          'key "volumeLabel" is written twice in this mapping (first at line 3, col 3); keep one',
      },
    ]);
  });

  it('names a duplicate key inside a list item', async () => {
    const file = await write(
      'dup-list.yaml',
      'extends: acorn\nservices:\n  - { name: a, runlevel: boot }\n  - name: b\n    name: c\n',
    );
    const [problem] = await problemsOf(file);
    expect(problem).toMatchObject({ line: 5, col: 5, path: 'services[1].name' });
    expect(problem?.message).toContain('key "name" is written twice');
  });
});

describe('variant files that cannot be read', () => {
  it('says a --variant-file folder is a folder, and names the variant.yaml inside it', async () => {
    const variantFolder = join(folder.dir, 'mine.yaml');
    await mkdir(variantFolder);
    await writeFile(join(variantFolder, 'variant.yaml'), 'extends: acorn\n');
    const error = await failure(variantFolder);
    expect(error.problems).toEqual([
      { file: variantFolder, line: 1, col: 1, path: '', message: 'a folder, not a variant file' },
    ]);
    expect(error.hint).toBe(`name the file inside it: ${join(variantFolder, 'variant.yaml')}`);
  });

  it('reports extends: naming a folder at the extends line', async () => {
    await mkdir(join(folder.dir, 'parent.yaml'));
    const child = await write('child.yaml', 'id: child\nextends: parent.yaml\n');
    const error = await failure(child);
    expect(error.problems).toEqual([
      {
        file: child,
        line: 2,
        col: 10,
        path: 'extends',
        message: `"parent.yaml" (${join(folder.dir, 'parent.yaml')}): a folder, not a variant file`,
      },
    ]);
    expect(error.hint).toBe('name a variant .yaml file, or a built-in variant');
  });

  it('refuses a FIFO instead of waiting on it', async () => {
    const fifo = join(folder.dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const child = await write('child.yaml', 'extends: pipe.yaml\n');
    expect((await problemsOf(child))[0]?.message).toBe(
      `"pipe.yaml" (${fifo}): not a regular file (a FIFO, socket or device)`,
    );
    expect((await problemsOf(fifo))[0]?.message).toBe(
      'not a regular file (a FIFO, socket or device)',
    );
  });

  it('still names a missing parent at the extends line', async () => {
    const child = await write('child.yaml', 'extends: gone.yaml\n');
    expect(await problemsOf(child)).toEqual([
      {
        file: child,
        line: 1,
        col: 10,
        path: 'extends',
        message: `no variant "gone.yaml" (looked for ${join(folder.dir, 'gone.yaml')})`,
      },
    ]);
  });
});

describe('list deltas', () => {
  it('refuses to remove a package the inherited list does not hold, at file:line:col', async () => {
    const file = await write(
      'remove.yaml',
      'extends: acorn\npackages:\n  remove: [busybox, vim]\n  add: [nano]\n',
    );
    const [problem, ...rest] = await problemsOf(file);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file, line: 3, col: 21, path: 'packages.remove[1]' });
    expect(problem?.message).toMatch(
      /^cannot remove "vim": the inherited list has no such item \(it has "alpine-baselayout", /,
    );
  });

  it.each([
    ['kernel.cmdline', 'kernel:\n  cmdline: { remove: [quiet] }\n', 'kernel.cmdline.remove[0]'],
    ['services', 'services: { remove: [sshd] }\n', 'services.remove[0]'],
    ['keys', 'keys: { remove: [other.pub] }\n', 'keys.remove[0]'],
    ['repositories', 'repositories: { remove: [testing] }\n', 'repositories.remove[0]'],
    ['disk.partitions', 'disk:\n  partitions: { remove: [home] }\n', 'disk.partitions.remove[0]'],
    [
      'a feature',
      'features:\n  kiosk:\n    packages: { remove: [chromium] }\n',
      'features.kiosk.packages.remove[0]',
    ],
  ])('applies the same rule to %s', async (_what, yaml, path) => {
    const file = await write('remove.yaml', `extends: iuppiter\n${yaml}`);
    const problems = await problemsOf(file);
    expect(problems).toEqual([
      expect.objectContaining({
        file,
        path,
        message: expect.stringMatching(/^cannot remove ".*": the inherited list has no such item/),
      }),
    ]);
  });

  it('removes a partition by its label', async () => {
    const file = await write(
      'by-label.yaml',
      'extends: acorn\ndisk:\n  partitions:\n    remove: [var]\n    add: [{ label: data, role: var, size: rest, filesystem: xfs }]\n',
    );
    const spec = await loadVariant(file);
    expect(spec.disk.partitions.map((partition) => partition.label)).toEqual([
      'EFI',
      'system-a',
      'system-b',
      'data',
    ]);
  });

  it('refuses a delta of overlay permissions, which have nothing to inherit', async () => {
    await mkdir(join(folder.dir, 'files'));
    const file = await write(
      'overlay.yaml',
      'extends: acorn\noverlay:\n  dir: files\n  permissions: { remove: [/root] }\n',
    );
    expect(await problemsOf(file)).toEqual([
      expect.objectContaining({
        file,
        line: 4,
        col: 16,
        path: 'overlay.permissions',
        message: expect.stringMatching(/^overlays do not inherit from each other/),
      }),
    ]);
  });

  it('refuses an overlay without its folder instead of ignoring it', async () => {
    const file = await write(
      'overlay.yaml',
      "extends: acorn\noverlay:\n  permissions: [{ path: /srv, mode: '0700' }]\n",
    );
    expect(await problemsOf(file)).toEqual([
      expect.objectContaining({ file, line: 3, path: 'overlay.dir' }),
    ]);
  });

  it('accepts adding a package the parent already has: the set is the same', async () => {
    const file = await write('add.yaml', 'extends: acorn\npackages: { add: [busybox, nano] }\n');
    const spec = await loadVariant(file);
    expect(spec.packages.filter((name) => name === 'busybox')).toEqual(['busybox']);
    expect(spec.packages).toContain('nano');
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import type { VariantSpec } from '@levitate/distro-spec';
import type { BuildReport } from '@levitate/tools';
import type { BuildDiff } from '@levitate/tools/diff';
import { BUILDER_BINS } from '../workspace.ts';

// AcornOS builds that differ in one thing each, all from one cache, compared with `acorn diff`.
let work: string;
let spec: VariantSpec;
let base: { iso: string; epoch: number };

async function build(
  name: string,
  extra: readonly string[] = [],
  env: Record<string, string> = {},
) {
  const out = join(work, name);
  const result = await execa(
    process.execPath,
    [
      BUILDER_BINS.acorn,
      'iso',
      '--fixture',
      ...extra,
      '--out',
      out,
      '--cache',
      join(work, 'cache'),
      '--log-format',
      'plain',
    ],
    { reject: false, env },
  );
  expect(result.exitCode, String(result.stderr)).toBe(0);
  const report = JSON.parse(
    await readFile(join(out, artifactName(spec, { kind: 'report' })), 'utf8'),
  ) as BuildReport;
  return { iso: join(out, artifactName(spec, { kind: 'iso' })), epoch: report.epoch };
}

async function variant(name: string, text: string): Promise<string[]> {
  const file = join(work, `${name}.yaml`);
  await writeFile(file, `extends: acorn\n${text}`);
  return ['--variant-file', file];
}

async function diff(a: string, b: string, json = true) {
  const result = await execa(
    process.execPath,
    [BUILDER_BINS.acorn, 'diff', ...(json ? ['--json'] : []), a, b],
    { reject: false },
  );
  return { exitCode: result.exitCode, stdout: String(result.stdout) };
}

const parsed = (stdout: string) => JSON.parse(stdout) as BuildDiff;
const artifact = (result: BuildDiff, prefix: string) =>
  result.artifacts.filter((item) => item.artifact.startsWith(prefix));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'diff-e2e-'));
  spec = await loadVariant('acorn');
  base = await build('base');
}, 600_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('acorn diff', () => {
  it('says identical and exits 0 for the same bytes', async () => {
    const again = await build('again');
    const result = await diff(base.iso, again.iso, false);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^identical: /);
  }, 300_000);

  it('names the kernel argument in every UKI and the grub menu', async () => {
    const other = await build(
      'cmdline',
      await variant('cmdline', 'kernel:\n  cmdline:\n    add: [quiet]\n'),
    );
    const result = await diff(base.iso, other.iso);
    expect(result.exitCode).toBe(1);
    const ukis = artifact(parsed(result.stdout), 'UKI ');
    expect(ukis.map((item) => item.artifact).sort()).toEqual([
      'UKI /boot/uki/acornos-system-a.efi',
      'UKI /boot/uki/acornos-system-b.efi',
      'UKI ESP /EFI/Linux/acornos-live.efi',
    ]);
    for (const uki of ukis) {
      expect(uki.sections).toEqual([
        expect.objectContaining({
          section: '.cmdline',
          change: 'content',
          text: { a: [], b: ['quiet'] },
        }),
      ]);
    }
    expect(artifact(parsed(result.stdout), 'squashfs')).toEqual([]);
  }, 300_000);

  it('names an added package from the reports and its files in the squashfs', async () => {
    const other = await build('package', await variant('package', 'packages:\n  add: [hdparm]\n'));
    const result = await diff(base.iso, other.iso);
    expect(result.exitCode).toBe(1);
    const changes = parsed(result.stdout);
    const hdparm = changes.packages?.find((pkg) => pkg.name === 'hdparm');
    expect(hdparm?.a).toBeUndefined();
    expect(hdparm?.b).toMatch(/^\d/);
    const [squashfs] = artifact(changes, 'squashfs');
    const added = squashfs?.changes.filter((change) => change.kinds.includes('added')) ?? [];
    expect(added.some((change) => /\/hdparm$/.test(change.path))).toBe(true);
    const text = await diff(base.iso, other.iso, false);
    expect(text.stdout).toMatch(/added {4}hdparm \d/);
  }, 300_000);

  it('tells a changed time apart from changed content', async () => {
    const other = await build('mtime', [], { SOURCE_DATE_EPOCH: String(base.epoch + 86_400) });
    const result = await diff(base.iso, other.iso);
    expect(result.exitCode).toBe(1);
    const changes = parsed(result.stdout);
    expect(changes.packages).toEqual([]);
    const [squashfs] = artifact(changes, 'squashfs');
    const mtimeOnly = squashfs?.changes.filter(
      (change) => change.kinds.length === 1 && change.kinds[0] === 'mtime',
    );
    expect(mtimeOnly?.length).toBeGreaterThan(0);
    expect(mtimeOnly?.[0]?.detail).toContain(`mtime ${base.epoch} → ${base.epoch + 86_400}`);
  }, 300_000);
});

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import { parseLock } from '@levitate/distro-spec/lock';
import type { BuildReport } from '@levitate/tools';
import { BUILDERS, BUILDER_BINS } from '../workspace.ts';
import type { BuilderName } from '../workspace.ts';
import { movingApkRepository, movingRpmRepository } from './moved-on-repository.ts';
import type { MovingRepository } from './moved-on-repository.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lock-e2e-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Case {
  readonly name: string;
  readonly bin: BuilderName;
  moving(dir: string): Promise<MovingRepository>;
}

const CASES: readonly Case[] = [
  { name: 'AcornOS (APK)', bin: 'acorn', moving: movingApkRepository },
  { name: 'LevitateOS (RPM)', bin: 'leviso', moving: movingRpmRepository },
];

describe.each(CASES)('$name locked', ({ bin, moving }) => {
  it('builds the same ISO from its lock after the repository moved on; unlocked, it takes the newer package and says so', async () => {
    const dir = join(work, bin);
    const repository = await moving(join(dir, 'repository'));
    const variantFile = join(dir, 'mine.yaml');
    await writeFile(variantFile, `extends: ${BUILDERS[bin].variant}\n`);
    const spec = await loadVariant(variantFile);
    const common = [
      '--variant-file',
      variantFile,
      ...repository.options,
      '--cache',
      join(dir, 'cache'),
      '--log-format',
      'plain',
    ];
    const runBuilder = async (args: readonly string[]) => {
      const result = await execa(process.execPath, [BUILDER_BINS[bin], ...args, ...common], {
        reject: false,
      });
      expect(result.exitCode, String(result.stderr)).toBe(0);
      return result;
    };
    const build = async (name: string, locked: boolean) => {
      const out = join(dir, name);
      await runBuilder([BUILDERS[bin].buildVerb, ...(locked ? ['--locked'] : []), '--out', out]);
      const iso = await readFile(join(out, artifactName(spec, { kind: 'iso' })));
      const report = JSON.parse(
        await readFile(join(out, artifactName(spec, { kind: 'report' })), 'utf8'),
      ) as BuildReport;
      return { sha256: createHash('sha256').update(iso).digest('hex'), report };
    };
    const versionIn = (report: BuildReport) =>
      report.packages.find((pkg) => pkg.name === repository.bumped.name)?.version;

    await runBuilder(['lock']);
    const lockFile = join(dir, 'mine.lock.yaml');
    const lockText = await readFile(lockFile, 'utf8');
    const lock = parseLock(lockFile, lockText);
    expect(lock.packages.find((pkg) => pkg.name === repository.bumped.name)?.version).toBe(
      repository.bumped.from,
    );
    await runBuilder(['lock']);
    expect(await readFile(lockFile, 'utf8')).toBe(lockText);

    const first = await build('first', true);
    expect(versionIn(first.report)).toBe(repository.bumped.from);
    await repository.moveOn();
    const second = await build('second', true);
    expect(second.sha256).toBe(first.sha256);
    expect(versionIn(second.report)).toBe(repository.bumped.from);

    const unlocked = await build('unlocked', false);
    expect(versionIn(unlocked.report)).toBe(repository.bumped.to);
    expect(unlocked.sha256).not.toBe(first.sha256);
    expect(unlocked.report.notes).toContain(
      `lock: differs from ${lockFile}: ${repository.bumped.name}: ${repository.bumped.from} → ${repository.bumped.to}`,
    );
  }, 900_000);
});

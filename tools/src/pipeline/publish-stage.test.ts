import { createHash } from 'node:crypto';
import {
  copyFile,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import type { VariantSpec } from '@levitate/distro-spec';
import { publishArtifacts } from './publish-stage.ts';
import { CURRENT_SET, SETS_FOLDER } from './published-sets.ts';
import type { BuildReport } from './report.ts';

const KINDS = ['iso', 'iso-checksum', 'report', 'report-summary'] as const;

let spec: VariantSpec;
let work: string;
beforeAll(async () => {
  spec = await loadVariant('acorn');
  work = await mkdtemp(join(tmpdir(), 'publish-stage-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function reportOf(variant: VariantSpec): Omit<BuildReport, 'artifacts'> {
  return {
    variant: variant.variant,
    id: variant.id,
    version: variant.version,
    epoch: 0,
    repositories: [],
    packages: [],
    stages: [],
    scriptsNotRun: [],
    security: [],
    effects: [],
    notes: [],
  };
}

let folders = 0;
async function freshFolder(name: string): Promise<string> {
  folders += 1;
  const dir = join(work, `${name}-${folders}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** An "ISO" with the given content, in a work folder of its own. */
async function isoWith(content: string): Promise<string> {
  const file = join(await freshFolder('iso'), 'built.iso');
  await writeFile(file, content);
  return file;
}

async function publish(
  outDir: string,
  content: string,
  afterChange?: (change: string) => void | Promise<void>,
  variant: VariantSpec = spec,
) {
  return publishArtifacts(
    { spec: variant, outDir },
    await isoWith(content),
    reportOf(variant),
    afterChange === undefined ? {} : { afterChange },
  );
}

/**
 * What the folder shows under the artifact names, read as a user would through the names:
 * nothing at all, or a complete set whose checksum file and reports agree with its ISO, named
 * by the ISO's content. Anything else (a part of a set, a mix of two) fails the test.
 */
async function shownSet(outDir: string): Promise<string | undefined> {
  const files = await Promise.all(
    KINDS.map((kind) =>
      readFile(join(outDir, artifactName(spec, { kind })), 'utf8').catch(() => undefined),
    ),
  );
  if (files.every((file) => file === undefined)) return undefined;
  const [iso, checksum, report, summary] = files;
  expect(files, 'every artifact of the set is there').not.toContain(undefined);
  const isoName = artifactName(spec, { kind: 'iso' });
  const sha256 = createHash('sha256')
    .update(iso ?? '')
    .digest('hex');
  expect(checksum).toBe(`${sha256}  ${isoName}\n`);
  expect((JSON.parse(report ?? '') as BuildReport).artifacts).toEqual([
    { file: isoName, bytes: Buffer.byteLength(iso ?? ''), sha256 },
  ]);
  expect(summary).toContain(`sha256 ${sha256}`);
  return iso;
}

interface Layout {
  readonly name: string;
  /** Puts a set showing "previous" into `outDir` (or nothing); returns what it shows. */
  make(outDir: string): Promise<string | undefined>;
}

const LAYOUTS: readonly Layout[] = [
  { name: 'an empty folder', make: () => Promise.resolve(undefined) },
  {
    name: 'a set published as links',
    async make(outDir) {
      await publish(outDir, 'previous');
      return 'previous';
    },
  },
  {
    name: 'a set published as plain files (before sets)',
    async make(outDir) {
      const elsewhere = await freshFolder('plain');
      await publish(elsewhere, 'previous');
      for (const kind of KINDS) {
        const name = artifactName(spec, { kind });
        await copyFile(join(elsewhere, name), join(outDir, name));
      }
      await writeFile(join(outDir, `.${artifactName(spec, { kind: 'iso' })}.tmp-4242`), 'half');
      return 'previous';
    },
  },
  {
    name: 'a set whose current link a cache restored as a folder',
    async make(outDir) {
      await publish(outDir, 'previous');
      const current = join(outDir, SETS_FOLDER, CURRENT_SET);
      const target = join(outDir, SETS_FOLDER, await readlink(current));
      await rm(current);
      await cp(target, current, { recursive: true });
      await rm(target, { recursive: true });
      return 'previous';
    },
  },
];

class Stop extends Error {}

describe.each(LAYOUTS)('publishing over $name', (layout) => {
  it('shows the whole previous set or the whole new one after every change, however far it got', async () => {
    const counting = await freshFolder('count');
    await layout.make(counting);
    let changes = 0;
    await publish(counting, 'new', () => {
      changes += 1;
    });
    expect(changes).toBeGreaterThan(0);
    expect(await shownSet(counting)).toBe('new');

    for (let stopAt = 1; stopAt <= changes; stopAt++) {
      const outDir = await freshFolder('stopped');
      const previous = await layout.make(outDir);
      const seen: (string | undefined)[] = [];
      let count = 0;
      const publishing = publish(outDir, 'new', async () => {
        seen.push(await shownSet(outDir));
        count += 1;
        // Nothing runs after this change, as if the process were killed (-9) right here.
        if (count === stopAt) throw new Stop(`stopped after change ${stopAt}`);
      });
      await expect(publishing).rejects.toBeInstanceOf(Stop);
      const swapped = seen.indexOf('new');
      const before = swapped === -1 ? seen : seen.slice(0, swapped);
      expect(before.every((set) => set === previous)).toBe(true);
      if (swapped !== -1) expect(seen.slice(swapped).every((set) => set === 'new')).toBe(true);
      expect([previous, 'new']).toContain(await shownSet(outDir));

      // The next build publishes over whatever the stopped one left, and tidies it away.
      await publish(outDir, 'next');
      expect(await shownSet(outDir)).toBe('next');
      expect((await readdir(outDir)).sort()).toEqual(
        [SETS_FOLDER, ...KINDS.map((kind) => artifactName(spec, { kind }))].sort(),
      );
      const sets = await readdir(join(outDir, SETS_FOLDER));
      expect(sets.sort()).toEqual(
        [await readlink(join(outDir, SETS_FOLDER, CURRENT_SET)), CURRENT_SET].sort(),
      );
    }
  });
});

describe('publishArtifacts', () => {
  it('shows each artifact as a link into the current set, and keeps only that set', async () => {
    const outDir = await freshFolder('links');
    await publish(outDir, 'first');
    const report = await publish(outDir, 'second');
    const isoName = artifactName(spec, { kind: 'iso' });
    expect((await lstat(join(outDir, isoName))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(outDir, isoName))).toBe(join(SETS_FOLDER, CURRENT_SET, isoName));
    const current = await readlink(join(outDir, SETS_FOLDER, CURRENT_SET));
    expect(current).toMatch(/^\d{8}T\d{6}Z-\w{6}$/);
    expect(await readdir(join(outDir, SETS_FOLDER))).toHaveLength(2);
    expect(report.artifacts[0]?.sha256).toBe(createHash('sha256').update('second').digest('hex'));
  });

  it("drops the names of an earlier version's artifacts once the set on show has none", async () => {
    const outDir = await freshFolder('versions');
    const older = await loadVariant('acorn', { version: '0.0.9' });
    await publish(outDir, 'older', undefined, older);
    await publish(outDir, 'newer');
    expect(await shownSet(outDir)).toBe('newer');
    const names = await readdir(outDir);
    expect(names).not.toContain(artifactName(older, { kind: 'iso' }));
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../workspace/root.ts';
import { bundleCommand } from './bundle.ts';
import type { BundleResult } from './bundle.ts';

/** What a command that only reads the variant or the host must never load. */
const HEAVY = [
  'tools/src/apk-resolve/',
  'tools/src/rpm-resolve/',
  'tools/src/backend/',
  'tools/src/fetch/',
  'tools/src/pipeline/',
  'tools/squashfs/',
];

/** Module hooks that write down every module Node loads, one URL a line. */
const RECORDING_HOOKS = `import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, nextLoad) {
  appendFileSync(file, url + '\\n');
  return nextLoad(url, context);
}
`;
const RECORDER = `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url, { data: { file: process.env.LOADED_MODULES } });
`;

let dir: string;
let runs = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lazy-commands-'));
  await writeFile(join(dir, 'hooks.mjs'), RECORDING_HOOKS);
  await writeFile(join(dir, 'recorder.mjs'), RECORDER);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(['acorn', 'leviso', 'iuppiter'])('%s, bundled', (bin) => {
  let built: BundleResult;
  beforeAll(async () => {
    built = await bundleCommand({
      name: bin,
      entry: join(WORKSPACE_ROOT, bin, 'src', 'main.ts'),
      outDir: join(dir, bin),
      workspaceRoot: WORKSPACE_ROOT,
    });
    await writeFile(
      join(dir, bin, 'run.mjs'),
      `const { main } = await import('./${bin}.js');\nprocess.exitCode = await main(process.argv);\n`,
    );
  });

  /** Runs the bundle and returns its exit code and the workspace files in what it loaded. */
  async function loadedBy(args: string[]): Promise<{ code: number; sources: string[] }> {
    runs += 1;
    const record = join(dir, `run-${runs}.loaded`);
    await writeFile(record, '');
    const code = await promisify(execFile)(
      process.execPath,
      ['--import', join(dir, 'recorder.mjs'), join(dir, bin, 'run.mjs'), ...args],
      { cwd: dir, env: { ...process.env, LOADED_MODULES: record } },
    ).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    const urls = (await readFile(record, 'utf8')).split('\n').filter((url) => url !== '');
    const files = urls.filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url));
    expect(files).toContain(built.bundle);
    return { code, sources: files.flatMap((file) => built.outputs[file] ?? []) };
  }

  it.each([
    { command: '--help' },
    { command: '--version' },
    { command: 'spec' },
    { command: 'spec --json' },
    { command: 'doctor' },
  ])('$command loads no resolver, fetcher, pipeline or squashfs writer', async ({ command }) => {
    const args = command.split(' ');
    const { code, sources } = await loadedBy(args);
    if (args[0] !== 'doctor') expect(code).toBe(0);
    expect(sources.filter((source) => HEAVY.some((heavy) => source.startsWith(heavy)))).toEqual([]);
  });

  it("resolve loads its family's resolver and the fetcher when it runs, not the other family's", async () => {
    const { sources } = await loadedBy(['resolve', '--offline', '--cache', join(dir, 'cache')]);
    const [own, other] = bin === 'leviso' ? ['rpm', 'apk'] : ['apk', 'rpm'];
    expect(sources.some((source) => source.startsWith('tools/src/fetch/'))).toBe(true);
    expect(sources.some((source) => source.startsWith(`tools/src/${own}-resolve/`))).toBe(true);
    expect(
      sources.filter((source) => new RegExp(`^tools/src/${other}(-resolve|-repo)?/`).test(source)),
    ).toEqual([]);
    // It runs no external command, so the command runner's process library stays unloaded.
    expect(sources.filter((source) => source.includes('node_modules/execa/'))).toEqual([]);
  });
});

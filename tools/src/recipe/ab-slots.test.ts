import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { peChecksum, readPeLayout } from '../boot/pe.ts';
import { assembleUki } from '../boot/uki.ts';
import { HOST_TOOLS } from '../core/host-tools.ts';
import { createRunner } from '../core/run.ts';
import { runningSlot } from './ab-slots.ts';
import {
  composeChange,
  installCommand,
  installWouldChange,
  removeCommand,
  removeWouldChange,
} from './recipe-commands.ts';
import type { RecipeSettings } from './recipe-settings.ts';
import { makeArchive, recipeWorld, snapshot, writeRecipe } from './recipe.support.ts';
import type { RecipeWorld } from './recipe.support.ts';
import { retargetUki } from './slot-uki.ts';

let stub: Uint8Array;
beforeAll(async () => {
  stub = new Uint8Array(await readFile(HOST_TOOLS.systemdStub.path));
});

/** A UKI made as the builders make them, from the host's systemd stub. */
function uki(cmdline: string): Buffer {
  return Buffer.from(
    assembleUki(stub, {
      linux: new Uint8Array(40_001).map((_, index) => (index * 13) & 0xff),
      osRelease: 'ID=levitateos\nPRETTY_NAME="LevitateOS 0.1.0"\n',
      cmdline,
      initrd: new Uint8Array(4_096).fill(7),
      uname: '9.9.9-example',
      sbat: [],
      timestamp: 1_700_000_000,
    }),
  );
}

function cmdlineOf(image: Buffer): string {
  const section = readPeLayout(image).sections.find((s) => s.name === '.cmdline');
  if (section === undefined) throw new Error('no .cmdline');
  const text = image.toString('latin1', section.rawOffset, section.rawOffset + section.virtualSize);
  return text.replace(/\0+$/, '');
}

describe('the UKI of the other slot', () => {
  const running = 'root=PARTLABEL=system-a rw console=ttyS0,115200';

  it('is the running UKI with the other slot on its command line and a checksum to match', () => {
    const original = uki(running);
    const other = retargetUki(original, 'a.efi', 'a', 'b');
    expect(cmdlineOf(other)).toBe('root=PARTLABEL=system-b rw console=ttyS0,115200');
    const differing = [...original].flatMap((byte, at) => (other[at] === byte ? [] : [at]));
    const checksumAt = readPeLayout(other).optionalHeaderOffset + 64;
    expect(differing.filter((at) => at < checksumAt || at >= checksumAt + 4)).toHaveLength(1);
    expect(other.readUInt32LE(checksumAt)).toBe(peChecksum(other, checksumAt));
    expect(retargetUki(other, 'b.efi', 'b', 'a').equals(original)).toBe(true);
  });

  it('is refused when the command line does not name the running slot exactly once', () => {
    expect(() => retargetUki(uki(running), 'a.efi', 'b', 'a')).toThrow(
      /a\.efi: its command line .* does not hold root=PARTLABEL=system-b exactly once/,
    );
    const twice = uki(`${running} root=PARTLABEL=system-a`);
    expect(() => retargetUki(twice, 'twice.efi', 'a', 'b')).toThrow(/exactly once/);
    const longer = uki('root=PARTLABEL=system-ab rw');
    expect(() => retargetUki(longer, 'longer.efi', 'a', 'b')).toThrow(/exactly once/);
    expect(() => retargetUki(Buffer.from('not a PE image at all'), 'x.efi', 'a', 'b')).toThrow(
      /x\.efi: is not a UKI/,
    );
  });
});

describe('the running slot', () => {
  let world: RecipeWorld;
  beforeEach(() => {
    world = recipeWorld('slot');
  });
  afterEach(() => world.cleanup());

  it('is read from root=PARTLABEL= on the kernel command line, and absent on a live system', async () => {
    const file = join(world.dir, 'cmdline');
    writeFileSync(file, 'BOOT_IMAGE=x root=PARTLABEL=system-b rw quiet\n');
    expect(await runningSlot(file)).toBe('b');
    writeFileSync(file, 'root=live:CDLABEL=LEVITATEOS rd.live.image\n');
    expect(await runningSlot(file)).toBeUndefined();
    expect(await runningSlot(join(world.dir, 'missing'))).toBeUndefined();
  });
});

/**
 * recupdate as the A/B install has it, reduced to what recipe asks of it: `stage` copies the
 * running root, `uki` names the running slot's UKI, `arm` keeps what it was given, `unstage`
 * drops the staged copy. Every call is logged.
 */
const FAKE_RECUPDATE = `#!/bin/sh
set -eu
echo "$*" >>"$FAKE_LOG"
case $1 in
stage) cp -a "$FAKE_ROOT/." "$2/"; echo "recupdate: slot b is staged on $2" ;;
uki) echo "$FAKE_UKI" ;;
arm) cp "$3" "$FAKE_ARMED_UKI"; cp -a "$4" "$FAKE_ARMED_SLOT"; rm -rf "$4"
  echo "recupdate: slot b holds the change; the next boot tries it once" ;;
unstage) rm -rf "$2"; echo "recupdate: slot b no longer boots" ;;
esac
`;

describe('a change on an A/B install', () => {
  let world: RecipeWorld;
  let settings: RecipeSettings;
  let cmdline: string;
  let log: string;
  let armedSlot: string;
  let armedUki: string;
  let tarball: ReturnType<typeof makeArchive>;

  beforeEach(() => {
    world = recipeWorld('ab');
    const bin = join(world.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'recupdate'), FAKE_RECUPDATE);
    chmodSync(join(bin, 'recupdate'), 0o755);
    cmdline = join(world.dir, 'cmdline');
    writeFileSync(cmdline, 'root=PARTLABEL=system-a rw\n');
    log = join(world.dir, 'recupdate.log');
    writeFileSync(log, '');
    armedSlot = join(world.dir, 'armed-slot');
    armedUki = join(world.dir, 'armed.efi');
    const runningUki = join(world.dir, 'levitateos-system-a.efi');
    writeFileSync(runningUki, uki('root=PARTLABEL=system-a rw'));
    settings = {
      ...world.settings,
      runner: createRunner({
        baseEnv: {
          PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
          FAKE_LOG: log,
          FAKE_ROOT: world.root,
          FAKE_UKI: runningUki,
          FAKE_ARMED_UKI: armedUki,
          FAKE_ARMED_SLOT: armedSlot,
        },
      }),
    };
    tarball = makeArchive(world.dir, 'hello-1.0', { hello: '#!/bin/sh\necho hello\n' });
  });
  afterEach(() => world.cleanup());

  const helloRecipe = (sha256: string) => `export const pkg = {
  name: 'hello', version: '1.0',
  sources: [{ url: '${tarball.url}', sha256: '${sha256}' }],
};
export async function acquire(ctx) { await ctx.download(pkg.sources[0]); }
export async function install(ctx) { await ctx.extract('tar.gz'); await ctx.installBin('hello'); }
`;
  const install = (target: { rootGiven?: boolean; mutable?: boolean } = {}) =>
    composeChange(
      settings,
      {
        rootGiven: target.rootGiven ?? false,
        mutable: target.mutable ?? false,
        cmdlineFile: cmdline,
      },
      () => installWouldChange(settings, ['hello'], 'install'),
      (where) => installCommand(where, ['hello'], 'install'),
    );
  const calls = () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);

  it('is made in a staged copy of the running system, which gets a trial boot with a UKI for its slot', async () => {
    writeRecipe(world.recipesDir, 'hello', helloRecipe(tarball.sha256));
    const before = snapshot(world.root);
    const out = await install();
    expect(out).toBe(
      'installed hello 1.0: 1 files\nrecupdate: slot b holds the change; the next boot tries it once\n',
    );
    expect(snapshot(world.root)).toEqual(before);
    expect(readFileSync(join(armedSlot, 'usr/local/bin/hello'), 'utf8')).toContain('echo hello');
    expect(existsSync(join(armedSlot, 'etc/recipes/hello.state.json'))).toBe(true);
    expect(cmdlineOf(readFileSync(armedUki))).toBe('root=PARTLABEL=system-b rw');
    expect(calls().map((call) => call.split(' ')[0])).toEqual(['stage', 'uki', 'arm']);

    // Installed in the staged slot only: the running slot's recipes still say nothing is.
    expect(await installWouldChange(settings, ['hello'], 'install')).toBe(true);
  });

  it('that fails leaves the running system and its state as they were, and nothing armed', async () => {
    writeRecipe(world.recipesDir, 'hello', helloRecipe('0'.repeat(64)));
    const before = snapshot(world.root);
    await expect(install()).rejects.toThrow(/hello/);
    expect(snapshot(world.root)).toEqual(before);
    expect(calls().map((call) => call.split(' ')[0])).toEqual(['stage', 'unstage']);
    expect(existsSync(armedUki)).toBe(false);
  });

  it('with nothing to do stages nothing', async () => {
    writeRecipe(world.recipesDir, 'hello', helloRecipe(tarball.sha256));
    await install({ mutable: true });
    writeFileSync(log, '');
    expect(await install()).toBe('hello 1.0 is installed and up to date\n');
    expect(calls()).toEqual([]);
    expect(await removeWouldChange(settings, ['other'])).toBe(false);
  });

  it('is made in place, with a warning, under --mutable; and in place under --root', async () => {
    writeRecipe(world.recipesDir, 'hello', helloRecipe(tarball.sha256));
    expect(await install({ mutable: true })).toBe('installed hello 1.0: 1 files\n');
    expect(existsSync(join(world.root, 'usr/local/bin/hello'))).toBe(true);
    expect(world.messages.join('\n')).toMatch(/changing the running slot a in place \(--mutable\)/);
    expect(calls()).toEqual([]);
    const removed = await composeChange(
      settings,
      { rootGiven: true, mutable: false, cmdlineFile: cmdline },
      () => removeWouldChange(settings, ['hello']),
      (where) => removeCommand(where, ['hello']),
    );
    expect(removed).toBe('removed hello 1.0\n');
    expect(existsSync(join(world.root, 'usr/local/bin/hello'))).toBe(false);
    expect(calls()).toEqual([]);
  });
});

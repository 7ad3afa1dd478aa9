import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageTree } from '../image-tree.ts';
import { makeTempDir, newTree, syntheticPackage } from '../rootfs.support.ts';
import type { TempDir } from '../rootfs.support.ts';
import { SCRIPT_EFFECTS, effectsFor, runScriptEffects } from './registry.ts';
import type { EffectSpec, ScriptEffect } from './types.ts';

const LEVITATE: EffectSpec = { id: 'levitateos', family: 'rpm', init: 'systemd', services: [] };

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('registry');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

/** A stand-in for the ld.so.cache effect of the RPM family, to show how one plugs in. */
const ldconfig: ScriptEffect = {
  id: 'test-ldconfig',
  describe: 'ld.so.cache for the installed libraries',
  families: ['rpm'],
  claims: (_pkg, script) => (script.interpreter === '/sbin/ldconfig' ? 'whole' : undefined),
  applies: ({ packages }) =>
    packages.some((pkg) => pkg.scripts.some((script) => script.interpreter === '/sbin/ldconfig')),
  async apply({ tree: image }) {
    await image.writeFile(
      '/etc/ld.so.cache',
      Buffer.from('cache'),
      { mode: 0o644, uid: 0, gid: 0, mtime: image.epoch, xattrs: {} },
      'test-ldconfig',
    );
    return ['ld.so.cache written'];
  },
};

const glibc = syntheticPackage(
  'glibc',
  [{ path: '/etc', rpm: true }],
  [
    { phase: 'post-install', interpreter: '/sbin/ldconfig', body: '' },
    { phase: 'post-uninstall', interpreter: '/sbin/ldconfig', body: '' },
    { phase: 'pretrans', interpreter: '<lua>', body: 'os.remove("/etc/x")\n' },
    {
      phase: 'trigger-in',
      interpreter: '/bin/sh',
      body: '#!/bin/sh\nexit 0\n',
      triggers: ['glibc-common'],
    },
  ],
);

describe('the script effect registry', () => {
  it('keeps the APK and OpenRC effects away from RPM and systemd variants', () => {
    expect(effectsFor(LEVITATE)).toEqual([]);
    expect(effectsFor(LEVITATE, [...SCRIPT_EFFECTS, ldconfig]).map((effect) => effect.id)).toEqual([
      'test-ldconfig',
    ]);
  });

  it('reports each RPM scriptlet: covered by a plugged-in effect, not run, empty or not applicable', async () => {
    await tree.addPackage(glibc);
    const report = await runScriptEffects(tree, [glibc], LEVITATE, [...SCRIPT_EFFECTS, ldconfig]);
    expect(report.effects).toEqual([
      {
        id: 'test-ldconfig',
        describe: 'ld.so.cache for the installed libraries',
        applied: true,
        notes: ['ld.so.cache written'],
      },
    ]);
    expect(
      report.scripts.map(({ phase, status, coveredBy }) => [phase, status, coveredBy]),
    ).toEqual([
      ['post-install', 'covered', ['test-ldconfig']],
      ['post-uninstall', 'not-applicable', []],
      ['pretrans', 'not-run', []],
      ['trigger-in', 'empty', []],
    ]);
    expect(report.scriptsNotRun).toEqual([{ package: 'glibc', phase: 'pretrans' }]);
    expect(tree.get('/etc/ld.so.cache')).toMatchObject({ kind: 'file', origin: 'test-ldconfig' });

    const without = await runScriptEffects(tree, [glibc], LEVITATE);
    expect(without.scriptsNotRun).toEqual([
      { package: 'glibc', phase: 'post-install' },
      { package: 'glibc', phase: 'pretrans' },
    ]);
  });
});

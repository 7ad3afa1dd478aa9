import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageTree } from '../image-tree.ts';
import { makeTempDir, newTree, syntheticPackage } from '../rootfs.support.ts';
import type { TempDir } from '../rootfs.support.ts';
import { effectsFor, runScriptEffects } from './registry.ts';
import type { EffectSpec, ScriptEffect } from './types.ts';

const LEVITATE: EffectSpec = { id: 'levitateos', family: 'rpm', init: 'systemd', services: [] };

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('registry');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

const glibc = syntheticPackage(
  'glibc',
  [
    { path: '/etc', rpm: true },
    { path: '/etc/ld.so.conf', content: 'include ld.so.conf.d/*.conf\n', rpm: true },
  ],
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
    expect(effectsFor(LEVITATE).map((effect) => effect.id)).toEqual([
      'sysusers',
      'machine-id',
      'systemd-presets',
      'ld-so-cache',
      'kernel-module-index',
    ]);
  });

  it('reports each RPM scriptlet: covered by an effect, not run, empty or not applicable', async () => {
    await tree.addPackage(glibc);
    const report = await runScriptEffects(tree, [glibc], LEVITATE);
    expect(report.effects.map(({ id, applied }) => [id, applied])).toEqual([
      ['sysusers', false],
      ['machine-id', true],
      ['systemd-presets', false],
      ['ld-so-cache', true],
      ['kernel-module-index', false],
    ]);
    expect(
      report.scripts.map(({ phase, status, coveredBy }) => [phase, status, coveredBy]),
    ).toEqual([
      ['post-install', 'covered', ['ld-so-cache']],
      ['post-uninstall', 'not-applicable', []],
      ['pretrans', 'not-run', []],
      ['trigger-in', 'empty', []],
    ]);
    expect(report.scriptsNotRun).toEqual([{ package: 'glibc', phase: 'pretrans' }]);
    expect(tree.get('/etc/ld.so.cache')).toMatchObject({ kind: 'file', origin: 'ld-so-cache' });

    const without = await runScriptEffects(tree, [glibc], LEVITATE, []);
    expect(without.scriptsNotRun).toEqual([
      { package: 'glibc', phase: 'post-install' },
      { package: 'glibc', phase: 'pretrans' },
    ]);
  });

  it('calls afterAccounts once, between the account effects and the others', async () => {
    const order: string[] = [];
    const effect = (id: string, accounts: boolean): ScriptEffect => ({
      id,
      describe: id,
      families: ['rpm'],
      accounts,
      claims: () => undefined,
      applies: () => true,
      apply: async () => {
        order.push(id);
        return [];
      },
    });
    const hook = async () => {
      order.push('owners');
    };
    await runScriptEffects(tree, [], LEVITATE, [effect('a', true), effect('b', false)], {
      afterAccounts: hook,
    });
    await runScriptEffects(tree, [], LEVITATE, [effect('c', true)], { afterAccounts: hook });
    expect(order).toEqual(['a', 'owners', 'b', 'c', 'owners']);
    await expect(
      runScriptEffects(tree, [], LEVITATE, [effect('d', false), effect('e', true)]),
    ).rejects.toThrow('account effects must come before every other effect');
  });
});

import { loadVariant } from '@levitate/distro-spec';
import type { VariantSpec } from '@levitate/distro-spec';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImageBuildError } from '../errors.ts';
import type { ImageTree } from '../image-tree.ts';
import { EPOCH, makeTempDir, newTree, syntheticPackage } from '../rootfs.support.ts';
import type { TempDir } from '../rootfs.support.ts';
import { effectsFor, runScriptEffects } from './registry.ts';

let acorn: VariantSpec;
let temp: TempDir;
let tree: ImageTree;

beforeAll(async () => {
  acorn = await loadVariant('acorn');
});
beforeEach(() => {
  temp = makeTempDir('openrc');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

const initScripts = (name: string, services: readonly string[]) =>
  syntheticPackage(name, [
    { path: '/etc/init.d' },
    ...services.map((service) => ({
      path: `/etc/init.d/${service}`,
      content: `#!/sbin/openrc-run\n# ${service}\n`,
      mode: 0o755,
    })),
  ]);

describe('the OpenRC runlevels effect', () => {
  it('is chosen for OpenRC variants only', () => {
    const ids = (init: 'openrc' | 'systemd', family: 'apk' | 'rpm') =>
      effectsFor({ id: 'x', family, init, services: [] }).map((effect) => effect.id);
    expect(ids('openrc', 'apk')).toEqual([
      'apk-accounts',
      'busybox-applet-links',
      'openrc-runlevels',
    ]);
    expect(ids('systemd', 'rpm')).not.toContain('openrc-runlevels');
  });

  it('names a service without an init script and the package that should provide it', async () => {
    const openrc = initScripts(
      'openrc',
      acorn.services.map((service) => service.name).filter((name) => name !== 'mdev'),
    );
    await tree.addPackage(openrc);
    const error = await runScriptEffects(tree, [openrc], acorn).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ImageBuildError);
    expect((error as ImageBuildError).message).toBe(
      'service mdev (runlevel sysinit) has no /etc/init.d/mdev in the image',
    );
    expect((error as ImageBuildError).hint).toContain('busybox-mdev-openrc');
  });

  it('links every service of the acorn variant into its runlevel', async () => {
    const names = acorn.services.map((service) => service.name);
    const openrc = initScripts(
      'openrc',
      names.filter((name) => name !== 'mdev'),
    );
    const mdev = initScripts('busybox-mdev-openrc', ['mdev']);
    const layout = syntheticPackage('openrc-layout', [
      { path: '/etc/runlevels', mode: 0o755 },
      { path: '/etc/runlevels/default' },
    ]);
    for (const pkg of [layout, openrc, mdev]) await tree.addPackage(pkg);
    const report = await runScriptEffects(tree, [layout, openrc, mdev], acorn);
    for (const service of acorn.services) {
      const link = `/etc/runlevels/${service.runlevel}/${service.name}`;
      expect(tree.get(link), link).toMatchObject({
        kind: 'symlink',
        target: `/etc/init.d/${service.name}`,
        mtime: EPOCH,
        origin: 'openrc-runlevels',
      });
    }
    expect(tree.get('/etc/runlevels/sysinit')).toMatchObject({
      kind: 'directory',
      mode: 0o755,
      origin: 'openrc-runlevels',
    });
    expect(report.effects.find((effect) => effect.id === 'openrc-runlevels')?.notes).toContain(
      'mdev → sysinit',
    );
    const again = await runScriptEffects(tree, [layout, openrc, mdev], acorn);
    expect(again.effects.at(-1)?.notes).toContain('devfs already in runlevel sysinit');
  });
});

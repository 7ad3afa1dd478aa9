import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { hostKernelRelease } from '../test-support/host-kernel.ts';
import { hostDirectoryRoot } from './host-root.ts';
import { LIVE_BOOT_MODULES } from './live-boot.ts';
import { modulesDepText } from './module-files.ts';
import { moduleName, readModule } from './modinfo.ts';
import { moduleClosure, parseModulesDep } from './modules.ts';
import type { KernelModule, ModuleClosure } from './modules.ts';
import type { RootView } from './root-view.ts';

const runner = createRunner();
/** The installed Debian kernel, whatever release Debian ships today. */
const KERNEL = await hostKernelRelease();
const HOST_MODULES = `/lib/modules/${KERNEL}`;

/** The host root as Debian's kernel package installs it: without the files depmod writes. */
function withoutDepmodOutput(view: RootView): RootView {
  const hidden = (path: string) =>
    /\/lib\/modules\/[^/]+\/modules\.(dep|alias|symbols|softdep)/.test(path);
  return {
    readFile: async (path) => (hidden(path) ? undefined : view.readFile(path)),
    readlink: async (path) => (hidden(path) ? undefined : view.readlink(path)),
    stat: async (path) => (hidden(path) ? undefined : view.stat(path)),
    list: async (dir) => (await view.list(dir)).filter((name) => !hidden(`${dir}/${name}`)),
  };
}

/** Every module a module needs, directly or not. */
function transitive(closure: ModuleClosure, name: string): string[] {
  const byName = new Map(closure.modules.map((module) => [module.name, module]));
  const out = new Set<string>();
  const walk = (current: string) => {
    for (const dependency of byName.get(current)?.depends ?? []) {
      if (!out.has(dependency)) {
        out.add(dependency);
        walk(dependency);
      }
    }
  };
  walk(name);
  return [...out].sort();
}

let dir: string;
let fromModinfo: ModuleClosure;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modules-'));
  fromModinfo = await moduleClosure(
    withoutDepmodOutput(hostDirectoryRoot('/')),
    KERNEL,
    LIVE_BOOT_MODULES,
  );
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("moduleClosure on Debian's kernel without modules.dep", () => {
  it('reads dependencies from the modules themselves and misses nothing', () => {
    expect(fromModinfo.source).toBe('modinfo');
    expect(fromModinfo.missing).toEqual([]);
    expect(fromModinfo.builtin).toEqual([]);
    expect(fromModinfo.modules.map((module) => module.name)).toEqual(
      expect.arrayContaining([
        'isofs',
        'cdrom',
        'sd_mod',
        't10_pi',
        'crc_t10dif',
        'crc64_rocksoft',
        'usb_storage',
        'xhci_hcd',
      ]),
    );
    expect(fromModinfo.modules.map((module) => module.name)).not.toContain('crct10dif_pclmul');
  });

  it('loads every module after the modules it depends on', () => {
    const position = new Map(fromModinfo.modules.map((module, index) => [module.name, index]));
    for (const module of fromModinfo.modules) {
      for (const dependency of module.depends) {
        expect(position.get(dependency)).toBeLessThan(position.get(module.name) ?? -1);
      }
    }
  });

  it('agrees with modinfo -F depends for every module', async () => {
    for (const module of fromModinfo.modules) {
      const { stdout } = await runner.run(['modinfo', '-F', 'depends', module.path]);
      const expected = stdout.trim() === '' ? [] : stdout.trim().split(',').map(moduleName);
      expect([...module.depends].sort(), module.name).toEqual(expected.sort());
    }
  });

  it('gives the same closure and modules.dep lines as depmod -b', async () => {
    const base = join(dir, 'depmod');
    const moduleDir = join(base, 'lib', 'modules', KERNEL);
    await mkdir(moduleDir, { recursive: true });
    await runner.run(['cp', '-al', `${HOST_MODULES}/kernel`, `${moduleDir}/kernel`]);
    for (const file of ['modules.builtin', 'modules.builtin.modinfo', 'modules.order']) {
      await copyFile(`${HOST_MODULES}/${file}`, join(moduleDir, file));
    }
    await runner.run(['depmod', '-b', base, KERNEL]);
    const fromDepmod = await moduleClosure(hostDirectoryRoot(base), KERNEL, LIVE_BOOT_MODULES);
    expect(fromDepmod.source).toBe('modules.dep');
    const names = (closure: ModuleClosure) => closure.modules.map((module) => module.name).sort();
    expect(names(fromModinfo)).toEqual(names(fromDepmod));
    for (const module of fromModinfo.modules) {
      expect(transitive(fromModinfo, module.name), module.name).toEqual(
        transitive(fromDepmod, module.name),
      );
    }
    const depmodLines = parseModulesDep(await readFile(join(moduleDir, 'modules.dep'), 'utf8'));
    for (const [name, entry] of parseModulesDep(modulesDepText(fromModinfo.modules))) {
      expect([...(entry.depends ?? [])].sort(), name).toEqual(
        [...(depmodLines.get(name)?.depends ?? [])].sort(),
      );
    }
  }, 60_000);
});

describe('moduleClosure in an image root', () => {
  let root: RootView;
  const version = '9.9.9-test';
  beforeAll(async () => {
    const moduleDir = join(dir, 'image', 'lib', 'modules', version);
    const compressed = async (source: string, target: string, argv: string[]) => {
      await mkdir(join(moduleDir, target, '..'), { recursive: true });
      const { stdout } = await runner.runBinary([...argv, source]);
      await writeFile(join(moduleDir, target), stdout);
    };
    await compressed(`${HOST_MODULES}/kernel/fs/isofs/isofs.ko`, 'kernel/fs/isofs/isofs.ko.xz', [
      'xz',
      '-c',
      '--check=crc32',
    ]);
    await compressed(
      `${HOST_MODULES}/kernel/drivers/cdrom/cdrom.ko`,
      'kernel/drivers/cdrom/cdrom.ko.zst',
      ['zstd', '-c', '-q'],
    );
    await compressed(
      `${HOST_MODULES}/kernel/fs/squashfs/squashfs.ko`,
      'kernel/fs/squashfs/squashfs.ko.gz',
      ['gzip', '-c', '-n'],
    );
    await compressed(
      `${HOST_MODULES}/kernel/drivers/usb/storage/usb-storage.ko`,
      'extra/usb-storage.ko',
      ['cat'],
    );
    await writeFile(
      join(moduleDir, 'modules.builtin'),
      'kernel/fs/overlayfs/overlay.ko\nkernel/drivers/block/loop.ko\n',
    );
    root = hostDirectoryRoot(join(dir, 'image'));
  });

  it('reads compressed modules, skips built-in ones and reports unknown ones', async () => {
    const closure = await moduleClosure(root, version, [
      'isofs',
      'squashfs',
      'overlay',
      'loop',
      'no-such-module',
    ]);
    expect(closure.modules.map((module: KernelModule) => module.relativePath)).toEqual([
      'kernel/drivers/cdrom/cdrom.ko.zst',
      'kernel/fs/isofs/isofs.ko.xz',
      'kernel/fs/squashfs/squashfs.ko.gz',
    ]);
    expect(closure.builtin).toEqual(['overlay', 'loop']);
    expect(closure.missing).toEqual(['no-such-module']);
    const plain = await readFile(`${HOST_MODULES}/kernel/fs/isofs/isofs.ko`);
    expect(
      Buffer.from(
        await readModule(root, `/lib/modules/${version}/kernel/fs/isofs/isofs.ko.xz`),
      ).equals(plain),
    ).toBe(true);
  });

  it('matches names with - and _ alike and names a missing dependency', async () => {
    for (const wanted of ['usb_storage', 'usb-storage']) {
      await expect(moduleClosure(root, version, [wanted])).rejects.toThrow(
        /kernel module usb_storage depends on usbcore, which is not in \/lib\/modules\/9\.9\.9-test/,
      );
    }
  });

  it('fails clearly when the kernel is not in the image', async () => {
    await expect(moduleClosure(root, '0.0.0', ['isofs'])).rejects.toThrow(
      /the image has no \/lib\/modules\/0\.0\.0/,
    );
  });
});

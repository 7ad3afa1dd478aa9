import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../test-support/fixtures.ts';
import { InternalError } from './errors.ts';
import type { HostRequirement, HostTool, HostUse } from './host.ts';
import { HOST_TOOLS } from './host-tools.ts';
import type { HostToolId } from './host-tools.ts';
import { HOST_USES, requirementsFor, requirementsOf } from './host-uses.ts';

/** Files (from the workspace root) that run each tool, or read each file, for each of its uses. */
const CALLERS: Record<HostToolId, Partial<Record<HostUse, readonly string[]>>> = {
  xorriso: {
    build: ['tools/src/boot/xorriso.ts'],
    test: [
      'tools/src/iso9660-reader/test-images.support.ts',
      'testing/src/rpm-fixture/install-iso.ts',
      'testing/src/e2e/updates-disk.ts',
    ],
    bench: ['tools/src/bench/iso-bench.ts'],
  },
  mkfsFat: { build: ['tools/src/boot/esp.ts'] },
  mmd: { build: ['tools/src/boot/esp.ts'] },
  mcopy: {
    build: ['tools/src/boot/esp.ts'],
    test: ['testing/src/e2e/reproducible.e2e.test.ts'],
  },
  grubMkimage: { build: ['tools/src/boot/grub.ts'] },
  grubBootHybrid: { build: ['tools/src/boot/media.ts'] },
  systemdStub: {
    build: ['tools/src/boot/media.ts', 'tools/src/pipeline/media-stage.ts'],
    test: ['tools/src/boot/uki.test.ts', 'tools/src/boot/pe.fuzz.test.ts'],
  },
  systemdBoot: { build: ['tools/src/boot/media.ts'] },
  sbverify: { sign: ['tools/src/secure-boot/efi-signer.ts'] },
  sbsign: { test: ['tools/src/secure-boot/authenticode.test.ts'] },
  pesign: { test: ['tools/src/secure-boot/authenticode.test.ts'] },
  osslsigncode: { test: ['tools/src/secure-boot/authenticode.test.ts'] },
  openssl: { sign: ['tools/src/secure-boot/sb-keys.ts'] },
  certToEfiSigList: { sign: ['tools/src/secure-boot/sb-keys.ts'] },
  signEfiSigList: { sign: ['tools/src/secure-boot/sb-keys.ts'] },
  secureBootTestVars: {
    run: ['tools/src/qemu/boot-modes.ts'],
    test: ['tools/src/qemu/boot-modes.ts'],
  },
  secureBootTestKey: { test: ['tools/src/secure-boot/signing-key.test.ts'] },
  secureBootTestCert: { test: ['tools/src/secure-boot/signing-key.test.ts'] },
  depmod: {
    build: ['tools/src/rootfs/effects/kernel-module-index.ts'],
    test: ['tools/src/initramfs/modules.test.ts'],
  },
  modinfo: { test: ['tools/src/initramfs/elf.test.ts', 'tools/src/initramfs/modules.test.ts'] },
  qemuSystemX86: {
    run: ['tools/src/qemu/machine-argv.ts'],
    test: ['tools/src/qemu/machine-argv.ts'],
  },
  uefiFirmware: {
    run: ['tools/src/qemu/firmware.ts'],
    test: ['tools/src/qemu/firmware.ts'],
  },
  rpm: {
    test: [
      'tools/src/rpm/rpm-reference.ts',
      'tools/src/rpm/verify.test.ts',
      'tools/src/rpm-resolve/vercmp.test.ts',
      'testing/src/rpm-fixture/repository.test.ts',
    ],
  },
  rpmbuild: {
    test: ['testing/src/rpm-fixture/rpmbuild.ts', 'tools/src/rpm-repo/test-repository.ts'],
  },
  rpmsign: { test: ['testing/src/rpm-fixture/signing-key.ts', 'tools/src/rpm/signing.test.ts'] },
  rpmkeys: { test: ['tools/src/rpm/signing.test.ts'] },
  createrepoC: {
    test: ['testing/src/rpm-fixture/createrepo.ts', 'tools/src/rpm-repo/test-repository.ts'],
  },
  dnf: {
    test: ['tools/src/rpm-resolve/test-support/dnf-reference.ts'],
    bench: ['tools/src/bench/rpm-bench.ts'],
  },
  rpm2archive: { bench: ['tools/src/bench/extract-bench.ts'] },
  gpg: {
    test: [
      'testing/src/rpm-fixture/signing-key.ts',
      'tools/src/openpgp/testing/gpg-home.ts',
      'tools/src/rpm/signing.test.ts',
      'distro-spec/src/keys.test.ts',
    ],
  },
  gpgconf: {
    test: ['testing/src/rpm-fixture/signing-key.ts', 'tools/src/openpgp/testing/gpg-home.ts'],
  },
  mksquashfs: {
    test: [
      'tools/src/install/install-tools.test.ts',
      'testing/src/e2e/live-boot.e2e.test.ts',
      'testing/src/e2e/updates-disk.ts',
    ],
    bench: ['tools/src/bench/rootfs-memory-bench.ts', 'tools/src/bench/iso-bench.ts'],
  },
  unsquashfs: {
    test: ['tools/src/rootfs/squashfs-image.test.ts', 'testing/src/e2e/updates-disk.ts'],
    bench: ['tools/src/bench/iso-bench.ts'],
  },
  rdsquashfs: { test: ['tools/src/rootfs/squashfs-image.test.ts'] },
  sqfsdiff: {
    test: ['tools/squashfs/src/compressors.test.ts', 'tools/squashfs/src/gensquashfs.test.ts'],
  },
  gensquashfs: { test: ['tools/squashfs/src/gensquashfs.test.ts'] },
  bsdtar: {
    test: ['testing/src/rpm-fixture/repository.test.ts'],
    bench: ['tools/src/bench/extract-bench.ts'],
  },
  time: {
    bench: ['tools/src/bench/rootfs-memory-bench.ts', 'tools/src/bench/process-sample.ts'],
  },
  objcopy: { test: ['tools/src/boot/uki.test.ts'] },
  objdump: { test: ['tools/src/boot/uki.test.ts'] },
  readelf: { test: ['tools/src/initramfs/elf.test.ts'] },
  cpio: { test: ['tools/src/boot/cpio.test.ts', 'tools/src/initramfs/build.test.ts'] },
  zstd: {
    test: ['testing/src/rpm-fixture/zstd-repodata.ts', 'tools/src/compress/decompress.test.ts'],
  },
  xz: { test: ['testing/src/debian/module-staging.ts', 'tools/src/compress/decompress.test.ts'] },
  zip: { test: ['tools/src/recipe/recipe.support.ts'] },
  unzip: { test: ['tools/src/recipe/recipe-context.ts'] },
  bzip2: {
    test: ['tools/src/compress/decompress.test.ts', 'tools/src/compress/bzip2-truncated.test.ts'],
  },
  python3: {
    test: ['tools/src/rootfs/capabilities.test.ts', 'tools/src/rpm-repo/ground-truth.ts'],
  },
  setcap: {
    test: ['tools/src/rootfs/capabilities.test.ts', 'tools/src/install/install-tools.test.ts'],
  },
  getcap: { test: ['tools/src/install/install-tools.test.ts'] },
  systemctl: { test: ['tools/src/rootfs/effects/systemd-presets.test.ts'] },
  systemdSysusers: { test: ['tools/src/rootfs/effects/sysusers.test.ts'] },
  busybox: {
    test: [
      'testing/src/apk-fixture/kernel-package.ts',
      'tools/src/install/install-tools.test.ts',
      'tools/src/initramfs/init-script.test.ts',
    ],
  },
};

/**
 * Programs the code starts that are not host tools to install: those of Debian's required
 * packages, which every Debian system has, and a few that come from elsewhere.
 */
const NOT_IN_THE_REGISTRY: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'cat',
      'chown',
      'chroot',
      'cp',
      'dd',
      'echo',
      'env',
      'false',
      'head',
      'ln',
      'mkdir',
      'mkfifo',
      'mknod',
      'printf',
      'pwd',
      'sha256sum',
      'sleep',
      'stat',
      'true',
      'truncate',
    ].map((program) => [program, 'coreutils']),
  ),
  find: 'findutils',
  sh: 'dash',
  tar: 'tar',
  blkid: 'util-linux',
  findmnt: 'util-linux',
  mount: 'mount',
  umount: 'mount',
  'mkfs.ext4': 'e2fsprogs',
  dpkg: 'dpkg',
  'dpkg-deb': 'dpkg',
  'dpkg-query': 'dpkg',
  'apt-get': 'apt',
  'apt-cache': 'apt',
  ldd: 'libc-bin',
  '/sbin/apk': 'runs inside an Alpine root, not on the host',
  recupdate: 'runs on an installed system, where the image puts it (tools/src/install)',
  npx: 'comes with Node.js',
  'levitate-no-such-command': 'the runner test of a program that does not exist',
};

/** The literal program name where code starts a program, through the runner, execa or child_process. */
const PROGRAM_CALL =
  /\b(?:run|runBinary|startProcess)\(\s*\[\s*'([^'\s]+)'|\b(?:execa|execFile|execFileSync|spawn|spawnSync)\(\s*'([^'\s]+)'|\brun\(\s*'([^'\s]+)',\s*\[/g;

const SOURCE_ROOTS = [
  'tools/src',
  'tools/squashfs/src',
  'testing/src',
  'distro-spec/src',
  'leviso/src',
  'acorn/src',
  'iuppiter/src',
];

const TEST_CODE = /(\.test\.ts|\.support\.ts)$|\/test-support\/|\/testing\//;

const TOOLS = Object.entries(HOST_TOOLS) as [HostToolId, HostTool][];

function nameOf(requirement: HostRequirement | HostTool): string {
  return requirement.kind === 'command' ? requirement.command : requirement.path;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(WORKSPACE_ROOT, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
      return path.endsWith('.ts') ? [path] : [];
    }),
  );
  return nested.flat();
}

/** Whether `text` runs the command or reads the file of `tool`, by name, folder or registry id. */
function mentions(text: string, id: HostToolId, tool: HostTool): boolean {
  if (tool.kind === 'command') {
    return text.includes(`'${tool.command}'`) || text.includes(`/${basename(tool.command)}'`);
  }
  return [tool.path, dirname(tool.path), `HOST_TOOLS.${id}`].some((needle) =>
    text.includes(needle),
  );
}

function debianPackagesOf(script: string): string[] {
  const list = /^debian_packages=\(\n([\s\S]*?)\n\)/m.exec(script)?.[1] ?? '';
  return list
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .flatMap((line) => line.split(/\s+/))
    .filter((name) => name !== '');
}

describe('HOST_TOOLS', () => {
  it('is frozen, names Debian packages, and every tool has a use with a reason', () => {
    expect(Object.isFrozen(HOST_TOOLS)).toBe(true);
    for (const [id, tool] of TOOLS) {
      expect(Object.isFrozen(tool), id).toBe(true);
      expect(tool.debianPackage, id).toMatch(/^[a-z0-9][a-z0-9.+-]+$/);
      const uses = Object.keys(tool.needs);
      expect(uses.length, `${id} has no use`).toBeGreaterThan(0);
      for (const use of uses) {
        expect(HOST_USES, id).toContain(use);
        expect(tool.needs[use as HostUse]?.length, `${id} for ${use}`).toBeGreaterThan(0);
      }
    }
  });

  it('lists each command and file once, so each has one Debian package', () => {
    const names = TOOLS.map(([, tool]) => nameOf(tool));
    expect(new Set(names).size).toBe(names.length);
    expect(HOST_TOOLS.gpg.debianPackage).toBe('gnupg');
    expect(HOST_TOOLS.gpgconf.debianPackage).toBe('gnupg');
  });

  it('names, for every use of every tool, code that runs it', () => {
    for (const [id, tool] of TOOLS) {
      expect(Object.keys(CALLERS[id]).sort(), id).toEqual(Object.keys(tool.needs).sort());
    }
  });

  it.each(TOOLS)('%s is run, or read, by the code its uses name', async (id, tool) => {
    for (const [use, files] of Object.entries(CALLERS[id])) {
      expect(files.length, `${id} for ${use}`).toBeGreaterThan(0);
      for (const file of files) {
        const text = await readFile(join(WORKSPACE_ROOT, file), 'utf8');
        expect(mentions(text, id, tool), `${file} does not use ${nameOf(tool)}`).toBe(true);
        if (use === 'build' || use === 'run' || use === 'sign') {
          expect(file, `${id} for ${use} must be used outside test code`).not.toMatch(TEST_CODE);
        }
        if (use === 'bench') expect(file).toMatch(/^tools\/src\/bench\//);
      }
    }
  });

  it('holds every program the code starts, besides those every Debian host has', async () => {
    const files = (await Promise.all(SOURCE_ROOTS.map(sourceFiles))).flat();
    const registered = new Set(
      TOOLS.flatMap(([, tool]) => (tool.kind === 'command' ? [tool.command] : [])),
    );
    const unknown: string[] = [];
    for (const file of files) {
      const text = await readFile(join(WORKSPACE_ROOT, file), 'utf8');
      for (const match of text.matchAll(PROGRAM_CALL)) {
        const program = match[1] ?? match[2] ?? match[3] ?? '';
        if (!registered.has(program) && NOT_IN_THE_REGISTRY[program] === undefined) {
          unknown.push(`${program} (${file})`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it('is installed by .ci/setup, for everything the tests need', async () => {
    const installed = new Set(
      debianPackagesOf(await readFile(join(WORKSPACE_ROOT, '.ci', 'setup'), 'utf8')),
    );
    expect(installed.size).toBeGreaterThan(10);
    const missing = requirementsFor('test').filter(
      (requirement) => !installed.has(requirement.debianPackage),
    );
    expect(
      missing.map((requirement) => `${nameOf(requirement)}: ${requirement.debianPackage}`),
    ).toEqual([]);
  });
});

describe('requirementsFor', () => {
  const names = (use: HostUse) => requirementsFor(use).map(nameOf);

  it('asks a build for what the build runs and reads, and nothing else', () => {
    expect(names('build')).toEqual([
      'xorriso',
      'mkfs.fat',
      'mmd',
      'mcopy',
      'grub-mkimage',
      '/usr/lib/grub/i386-pc/boot_hybrid.img',
      '/usr/lib/systemd/boot/efi/linuxx64.efi.stub',
      '/usr/lib/systemd/boot/efi/systemd-bootx64.efi',
      'depmod',
    ]);
    expect(names('build')).not.toContain('objcopy');
    expect(requirementsFor('build').map((requirement) => requirement.debianPackage)).not.toEqual(
      expect.arrayContaining(['qemu-system-x86']),
    );
    expect(requirementsFor('build').map((requirement) => requirement.debianPackage)).not.toContain(
      'ovmf',
    );
  });

  it('asks run for QEMU and the UEFI firmware (with its Secure Boot variables) only', () => {
    expect(requirementsFor('run').map((requirement) => requirement.debianPackage)).toEqual([
      'qemu-system-x86',
      'ovmf',
      'ovmf',
    ]);
  });

  it('asks signing for sbverify, openssl and efitools, and a plain build for none of them', () => {
    expect(names('sign')).toEqual([
      'sbverify',
      'openssl',
      'cert-to-efi-sig-list',
      'sign-efi-sig-list',
    ]);
    expect(names('build')).not.toEqual(expect.arrayContaining(['sbverify']));
    expect(names('test')).toEqual(expect.arrayContaining(names('sign')));
  });

  it('asks the tests for what builds and boots need besides their own tools', () => {
    expect(names('test')).toEqual(expect.arrayContaining([...names('build'), ...names('run')]));
    expect(names('test')).toEqual(expect.arrayContaining(['objcopy', 'rpmbuild', 'gpg']));
    expect(names('bench')).toEqual(expect.arrayContaining([...names('build'), '/usr/bin/time']));
    expect(names('test')).not.toContain('/usr/bin/time');
  });

  it('gives each tool the reason of the use asked about, else of the use it takes in', () => {
    const [mcopyForTest] = requirementsOf(['mcopy'], 'test');
    expect(mcopyForTest?.reason).toBe(HOST_TOOLS.mcopy.needs.test);
    const [mmdForTest] = requirementsOf(['mmd'], 'test');
    expect(mmdForTest?.reason).toBe(HOST_TOOLS.mmd.needs.build);
  });
});

describe('requirementsOf', () => {
  it('refuses a tool the use does not need', () => {
    expect(() => requirementsOf(['objcopy'], 'build')).toThrow(InternalError);
    expect(() => requirementsOf(['qemuSystemX86'], 'build')).toThrow(
      'does not list qemuSystemX86 as needed for build',
    );
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactName, loadVariant } from '@levitate/distro-spec';
import { BOOT_MODES, BOOT_MODE_NAMES, Vm } from '@levitate/tools/qemu';
import { spdxSchemaProblems } from '@levitate/tools/test-support';
import { builderOf } from '../workspace.ts';
import { buildFromFixture, fixtureProvenance } from './fixture-build.ts';
import { testKeySigningOptions } from './secure-boot-test-key.ts';

/**
 * AcornOS, IuppiterOS and LevitateOS as a user gets them: built by their CLI from the offline
 * fixture repository, signed for Secure Boot with the ovmf test key, booted in all four modes
 * (the UEFI ones on Secure Boot firmware that trusts that key, enforcing), checked by the
 * image's own live-check service.
 */
const ALL_VARIANTS = [
  {
    variant: 'acorn',
    extra: { command: 'busybox --help', firstLine: /^BusyBox v\d+\.\d+/ },
    modules: 'gz',
  },
  {
    variant: 'iuppiter',
    extra: { command: 'smartctl --version', firstLine: /^smartctl \d+\.\d+ / },
    modules: 'gz',
  },
  // live-check waited for the end of start-up and found no failed unit: still running now.
  {
    variant: 'levitate',
    extra: { command: 'systemctl is-system-running', firstLine: /^running$/ },
    modules: 'xz',
  },
].map((entry) => ({ ...entry, bin: builderOf(entry.variant) }));
/** CI boots one APK and one RPM variant; `nx run testing:e2e-full` boots all three. */
const CHOSEN = (process.env['E2E_VARIANTS'] ?? 'acorn,levitate').split(',');
const VARIANTS = ALL_VARIANTS.filter(({ variant }) => CHOSEN.includes(variant));

let work: string;
let signing: string[];
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'variant-iso-'));
  signing = await testKeySigningOptions(work);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.each(VARIANTS)('$bin', ({ bin, variant, extra, modules }) => {
  let iso: string;
  let id: string;

  beforeAll(async () => {
    const spec = await loadVariant(variant);
    id = spec.id;
    const out = join(work, bin);
    const result = await buildFromFixture(bin, {
      out,
      cache: join(work, 'cache'),
      extra: signing,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    iso = join(out, artifactName(spec, { kind: 'iso' }));
    const checksum = await readFile(
      join(out, artifactName(spec, { kind: 'iso-checksum' })),
      'utf8',
    );
    expect(checksum).toMatch(
      new RegExp(`^[0-9a-f]{64}  ${artifactName(spec, { kind: 'iso' })}\\n$`),
    );
    expect(await fixtureProvenance(join(out, artifactName(spec, { kind: 'report' })))).toEqual([]);
    // The SBOM beside it: valid SPDX 2.3, the ISO and one package per installed package.
    const sbom = await readFile(join(out, artifactName(spec, { kind: 'sbom' })), 'utf8');
    expect(spdxSchemaProblems(sbom)).toEqual([]);
    const report = JSON.parse(
      await readFile(join(out, artifactName(spec, { kind: 'report' })), 'utf8'),
    ) as {
      packages: { name: string; squashfsBytes?: number }[];
      artifacts: { sha256: string }[];
      stages: { stage: string; bytes?: number }[];
    };
    const described = JSON.parse(sbom) as {
      packages: { checksums: { checksumValue: string }[] }[];
      relationships: { relationshipType: string }[];
    };
    expect(described.packages).toHaveLength(report.packages.length + 1);
    expect(described.packages[0]?.checksums[0]?.checksumValue).toBe(report.artifacts[0]?.sha256);
    expect(
      described.relationships.filter((r) => r.relationshipType === 'DEPENDS_ON').length,
    ).toBeGreaterThan(report.packages.length / 2);
    // What each package costs the squashfs: known for those that install files, and in all
    // no more than the image itself.
    const costs = report.packages.map((pkg) => pkg.squashfsBytes ?? 0);
    const image = report.stages.find((stage) => stage.stage === 'write the squashfs')?.bytes;
    expect(costs.filter((cost) => cost > 0).length).toBeGreaterThan(report.packages.length / 2);
    expect(costs.reduce((sum, cost) => sum + cost, 0)).toBeLessThan(image ?? 0);
  }, 900_000);

  it.each(BOOT_MODE_NAMES)(
    'boots in %s to the live check and answers on the serial console',
    async (mode) => {
      const uefi = BOOT_MODES[mode].firmware === 'uefi';
      const vm = await Vm.start({
        iso,
        mode,
        ...(uefi ? { secureBoot: 'test-key' as const } : {}),
        stateDir: join(work, `vm-${bin}-${mode}`),
        memoryMiB: 1024,
      });
      try {
        // Whole lines only: the serial console may deliver a line in several pieces.
        const verdict = await vm.waitFor(/(LIVE-CHECK-(?:OK|FAILED)[^\r\n]*)\r?\n/, 240_000);
        expect(verdict[1]).toBe(
          `LIVE-CHECK-OK id=${id} root=overlay secureboot=${uefi ? 'on' : 'none'}`,
        );
        expect(await vm.check('. /etc/os-release; echo "$ID $PRETTY_NAME"')).toMatch(
          new RegExp(`^${id} `),
        );
        expect((await vm.check(extra.command)).split('\n')[0]).toMatch(extra.firstLine);
        // A module the initramfs did not load, from the image's compressed files (Rocky's
        // .ko.xz through kmod, Alpine's .ko.gz through busybox): the kernel cannot read them.
        await vm.check('modprobe zram');
        expect(await vm.check("grep -c '^zram ' /proc/modules")).toBe('1\n');
        expect(await vm.check("find /lib/modules -name 'zram.ko*'")).toMatch(
          new RegExp(`^\\S+/zram\\.ko\\.${modules}\\n$`),
        );
      } finally {
        await vm.stop();
      }
    },
    360_000,
  );
});

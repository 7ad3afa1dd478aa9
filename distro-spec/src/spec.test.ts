import { describe, expect, it } from 'vitest';
import { BUILTIN_VARIANTS, VARIANTS_DIR, loadVariant } from './index.ts';
import type { VariantSpec } from './index.ts';

/** Golden files must not depend on where the repository is checked out. */
function portable(spec: VariantSpec): string {
  return `${JSON.stringify(spec, null, 2).replaceAll(VARIANTS_DIR, '<variants>')}\n`;
}

describe.each(BUILTIN_VARIANTS)('variant %s', (name) => {
  it('resolves to its golden spec', async () => {
    const spec = await loadVariant(name);
    await expect(portable(spec)).toMatchFileSnapshot(`../golden/${name}.json`);
  });

  it('describes the A/B installed layout with one UKI per slot', async () => {
    const spec = await loadVariant(name);
    expect(spec.disk.partitions.map((part) => part.label)).toEqual([
      'EFI',
      'system-a',
      'system-b',
      'var',
    ]);
    expect(spec.disk.partitions[0]?.size).toBe('1GiB');
    expect(spec.disk.partitions.at(-1)?.size).toBe('rest');
    expect(spec.boot.slots.map((slot) => slot.uki)).toEqual([
      `${spec.id}-system-a.efi`,
      `${spec.id}-system-b.efi`,
    ]);
    expect(spec.boot.slots[1]?.cmdline[0]).toBe('root=PARTLABEL=system-b');
  });

  it('builds another version on request, in os-release and the artifact names', async () => {
    const spec = await loadVariant(name, { version: '9.8.7' });
    const plain = await loadVariant(name);
    expect(spec.version).toBe('9.8.7');
    expect(spec.osRelease['VERSION_ID']).toBe('9.8.7');
    expect(spec.prettyName).toBe(`${spec.name} 9.8.7`);
    expect(spec.boot.slots).toEqual(plain.boot.slots);
    expect(spec.packages).toEqual(plain.packages);
  });

  it('boots live media by volume label with a serial console', async () => {
    const spec = await loadVariant(name);
    expect(spec.boot.live.cmdline).toContain(`root=live:CDLABEL=${spec.boot.live.volumeLabel}`);
    expect(spec.kernel.cmdline).toContain('console=ttyS0,115200');
    expect(spec.packages).toContain(spec.kernel.package);
  });

  it('is frozen', async () => {
    const spec = await loadVariant(name);
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.packages)).toBe(true);
    expect(() => (spec.packages as string[]).push('x')).toThrow();
  });
});

describe('inheritance', () => {
  it('gives iuppiter every acorn package plus its disk tools', async () => {
    const acorn = await loadVariant('acorn');
    const iuppiter = await loadVariant('iuppiter');
    expect(iuppiter.packages.slice(0, acorn.packages.length)).toEqual(acorn.packages);
    expect(iuppiter.packages).toEqual(
      expect.arrayContaining([
        'smartmontools',
        'hdparm',
        'nvme-cli',
        'sg3_utils',
        'e2fsprogs',
        'parted',
        'util-linux',
      ]),
    );
    expect(iuppiter.repositories).toEqual(acorn.repositories);
    expect(iuppiter.services).toEqual(acorn.services);
    expect(iuppiter.id).toBe('iuppiteros');
    expect(iuppiter.osRelease['ID']).toBe('iuppiteros');
  });

  it('stacks overlays parent first', async () => {
    const iuppiter = await loadVariant('iuppiter');
    expect(iuppiter.overlays.map((overlay) => overlay.dir)).toEqual([
      `${VARIANTS_DIR}/acorn/overlay`,
      `${VARIANTS_DIR}/iuppiter/overlay`,
    ]);
    expect(iuppiter.overlays[0]?.permissions).toContainEqual({
      path: '/root',
      mode: 0o700,
      owner: 'root',
      group: 'root',
    });
  });

  it('keeps the kiosk UI off unless asked for', async () => {
    const plain = await loadVariant('iuppiter');
    expect(plain.features['kiosk']?.enabled).toBe(false);
    expect(plain.packages).not.toContain('cage');
    const kiosk = await loadVariant('iuppiter', { features: ['kiosk'] });
    expect(kiosk.features['kiosk']?.enabled).toBe(true);
    expect(kiosk.packages).toEqual(expect.arrayContaining(['cage', 'foot', 'seatd']));
    expect(kiosk.services.map((service) => service.name)).toContain('seatd');
  });

  it('refuses an unknown feature and names the known ones', async () => {
    await expect(loadVariant('iuppiter', { features: ['desktop'] })).rejects.toMatchObject({
      code: 'spec-unknown-feature',
      hint: 'known features: kiosk',
    });
  });
});

describe('repository overrides', () => {
  it('points a variant at a local folder without editing it', async () => {
    const spec = await loadVariant('acorn', { repositories: [{ url: '/srv/mirror/alpine' }] });
    expect(spec.repositories).toEqual([
      {
        name: 'override-1',
        url: 'file:///srv/mirror/alpine',
        priority: 50,
        keys: spec.keys.map((key) => key.name),
        signedMetadata: false,
        origin: 'override',
      },
    ]);
  });

  it('asks for signed metadata of an override only when told to', async () => {
    const spec = await loadVariant('levitate', {
      repositories: [{ url: '/srv/rocky/BaseOS', signedMetadata: true }, { url: '/srv/other' }],
    });
    expect(spec.repositories.map((repository) => repository.signedMetadata)).toEqual([true, false]);
  });

  it('trusts a key folder given with the override instead of the pinned keys', async () => {
    const spec = await loadVariant('levitate', {
      repositories: [{ url: 'http://127.0.0.1:8080/repo/', keysDir: '/tmp/test-keys' }],
    });
    expect(spec.repositories[0]).toMatchObject({
      url: 'http://127.0.0.1:8080/repo/',
      keys: [],
      keysDir: '/tmp/test-keys',
    });
  });
});

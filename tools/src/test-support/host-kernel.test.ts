import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostKernelRelease, releaseOfImagePackage } from './host-kernel.ts';

describe('releaseOfImagePackage', () => {
  it.each([
    ['linux-image-6.1.0-57-amd64 (= 6.1.192-3)', '6.1.0-57-amd64'],
    ['linux-image-6.12.9+bpo-amd64', '6.12.9+bpo-amd64'],
    ['initramfs-tools | linux-initramfs-tool, linux-image-7.0.1-1-amd64', '7.0.1-1-amd64'],
  ])('finds the release in %j', (depends, release) => {
    expect(releaseOfImagePackage(depends)).toBe(release);
  });

  it('finds none where no image package is named', () => {
    expect(releaseOfImagePackage('linux-image-amd64-signed-template')).toBeUndefined();
    expect(releaseOfImagePackage('')).toBeUndefined();
  });
});

describe('hostKernelRelease', () => {
  it('names the installed kernel linux-image-amd64 depends on, with its modules and config', async () => {
    const release = await hostKernelRelease();
    expect(existsSync(`/lib/modules/${release}/modules.builtin`)).toBe(true);
    expect(existsSync(`/boot/config-${release}`)).toBe(true);
  });
});

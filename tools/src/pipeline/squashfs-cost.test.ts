import { describe, expect, it } from 'vitest';
import { squashfsCostByPackage } from './squashfs-cost.ts';

const origins: Record<string, string> = {
  '/usr/bin/busybox': 'busybox',
  '/bin/sh': 'busybox',
  '/etc/motd': 'alpine-baselayout',
  '/etc/os-release': 'alpine-baselayout',
  '/usr/lib/libc.so': 'musl',
};
const tree = {
  get: (path: string) => {
    const origin = origins[path];
    return origin === undefined ? undefined : { origin };
  },
};

describe('squashfsCostByPackage', () => {
  it('adds each file’s stored blocks and its share of the fragment holding its tail', () => {
    const file = (
      path: string,
      inode: number,
      storedBlocks: number,
      fragment: number,
      tail: number,
    ) => ({
      path,
      inode,
      size: 0,
      storedBlocks,
      fragment,
      tail,
    });
    const costs = squashfsCostByPackage(
      {
        blockSize: 131072,
        fragments: [300, 50],
        files: [
          file('/usr/bin/busybox', 1, 4000, 0, 100),
          file('/bin/sh', 1, 4000, 0, 100), // a hard link: counted once
          file('/etc/motd', 2, 0, 0, 200),
          file('/etc/os-release', 3, 0, 1, 10),
          file('/usr/lib/libc.so', 4, 9000, -1, 0),
          file('/made/by/the/build', 5, 70, -1, 0), // no package: not counted
        ],
      },
      tree,
    );
    expect(Object.fromEntries(costs)).toEqual({
      busybox: 4000 + 100,
      'alpine-baselayout': 200 + 50,
      musl: 9000,
    });
  });
});

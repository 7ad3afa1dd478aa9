import { hostKernelRelease } from '@levitate/tools';

/** The Debian kernel the host has installed today (linux-image-amd64), for boot-media tests. */
export async function hostKernel(): Promise<{ path: string; uname: string }> {
  const uname = await hostKernelRelease();
  return { path: `/boot/vmlinuz-${uname}`, uname };
}

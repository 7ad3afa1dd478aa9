import { describe, expect, it } from 'vitest';
import { capabilityXattr } from './apk-builder.support.ts';
import { decodeFileCapabilities } from './index.ts';

describe('decodeFileCapabilities', () => {
  it('decodes revision 2 and 3 values and refuses what it cannot represent', () => {
    expect(decodeFileCapabilities(capabilityXattr([12, 13]))).toBe('cap_net_admin,cap_net_raw=ep');
    const v3 = Buffer.alloc(24);
    v3.writeUInt32LE(0x03000000, 0);
    v3.writeUInt32LE(1 << 10, 4);
    v3.writeUInt32LE(1 << 10, 8);
    v3.writeUInt32LE(1 << (38 - 32), 12);
    expect(decodeFileCapabilities(v3)).toBe('cap_net_bind_service=ip cap_perfmon=p');
    v3.writeUInt32LE(1000, 20);
    expect(decodeFileCapabilities(v3)).toBeUndefined();
    expect(decodeFileCapabilities(Buffer.from([1, 2, 3]))).toBeUndefined();
    expect(decodeFileCapabilities(capabilityXattr([0, 38]))).toBe('cap_chown,cap_perfmon=ep');
    expect(decodeFileCapabilities(capabilityXattr([]))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { evrText, formatDependency, splitEvr, versionedDependency } from './dependency-text.ts';

describe('RPM dependency text', () => {
  it('splits [epoch:]version[-release] as rpm does', () => {
    expect(splitEvr('1.2')).toEqual({ version: '1.2' });
    expect(splitEvr('1.2-3.el10')).toEqual({ version: '1.2', release: '3.el10' });
    expect(splitEvr('2:1.2-3')).toEqual({ epoch: '2', version: '1.2', release: '3' });
    expect(splitEvr(':1.2')).toEqual({ epoch: '0', version: '1.2' });
    expect(splitEvr('1.2-rc1-4')).toEqual({ version: '1.2-rc1', release: '4' });
  });

  it('gives back the version text a header stored, every part kept', () => {
    for (const text of ['1.2', '0:1.2-3', '7:2.4-1.el10']) {
      expect(evrText(splitEvr(text))).toBe(text);
    }
  });

  it('shows an epoch 0 a header stored and leaves out the one repository metadata adds', () => {
    const fromMetadata = versionedDependency('glibc', 'GE', '0:2.34');
    expect(formatDependency(fromMetadata)).toBe('glibc >= 2.34');
    expect(formatDependency({ ...fromMetadata, sense: 12 })).toBe('glibc >= 0:2.34');
    expect(formatDependency({ name: 'libc.so.6()(64bit)', sense: 0 })).toBe('libc.so.6()(64bit)');
  });
});

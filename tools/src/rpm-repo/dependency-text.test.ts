import { describe, expect, it } from 'vitest';
import { evrText, formatDependency, splitEvr, versionedDependency } from './dependency-text.ts';

describe('RPM dependency text', () => {
  it('splits [epoch:]version[-release] as rpm does', () => {
    expect(splitEvr('1.2')).toEqual({ version: '1.2' });
    expect(splitEvr('1.2-3.el10')).toEqual({ version: '1.2', release: '3.el10' });
    expect(splitEvr('2:1.2-3')).toEqual({ epoch: '2', version: '1.2', release: '3' });
    expect(splitEvr(':1.2')).toEqual({ epoch: '', version: '1.2' });
    expect(splitEvr('1.2-')).toEqual({ version: '1.2', release: '' });
    expect(splitEvr('1.2-rc1-4')).toEqual({ version: '1.2-rc1', release: '4' });
  });

  it('gives back the version text a header stored, every part kept', () => {
    for (const text of ['1.2', '0:1.2-3', '7:2.4-1.el10', ':1.2', '1.2-', '007:1']) {
      expect(evrText(splitEvr(text))).toBe(text);
    }
  });

  it('shows an epoch 0 a header stored and leaves out the one repository metadata adds', () => {
    const fromMetadata = versionedDependency('glibc', 'GE', '0:2.34');
    expect(formatDependency(fromMetadata)).toBe('glibc >= 2.34');
    expect(formatDependency({ ...fromMetadata, sense: 12 })).toBe('glibc >= 0:2.34');
    expect(formatDependency({ name: 'libc.so.6()(64bit)', sense: 0 })).toBe('libc.so.6()(64bit)');
  });

  it('prints what a header stored as rpm does, odd flags and versions included', () => {
    const stored = (name: string, sense: number, evr: string) => ({
      name,
      sense,
      ...(evr === '' ? {} : splitEvr(evr)),
    });
    expect(formatDependency(stored('a', 2 | 4, '1'))).toBe('a <> 1');
    expect(formatDependency(stored('a', 8, ''))).toBe('a =');
    expect(formatDependency(stored('a', 0, '1.0'))).toBe('a 1.0');
    expect(formatDependency(stored('a', 8 | 4, ':1.2-'))).toBe('a >= :1.2-');
    expect(formatDependency(stored('rpmlib(X)', (1 << 24) | 2 | 8, '3.0.4-1'))).toBe(
      'rpmlib(X) <= 3.0.4-1',
    );
  });
});

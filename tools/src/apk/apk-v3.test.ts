import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { PackageFormatError } from '../packages/errors.ts';
import { adbFile } from './apk-builder.support.ts';
import { adbSchema, isApkV3, refuseApkV3, refuseApkV3Repository } from './index.ts';

describe('apk v3 (ADB) files', () => {
  it.each(['.', 'd', 'c'] as const)('reads the schema of an ADB%s file', (compression) => {
    expect(adbSchema(adbFile('pckg', compression))).toBe('package');
    expect(adbSchema(adbFile('indx', compression))).toBe('index');
    expect(isApkV3(adbFile('indx', compression))).toBe(true);
  });

  it('recognises zstd and damaged ADB files by their magic alone', () => {
    const zstd = Buffer.concat([Buffer.from('ADBc'), Buffer.from([2, 3, 0x28, 0xb5, 0x2f, 0xfd])]);
    const damaged = Buffer.concat([Buffer.from('ADBd'), Buffer.from('not deflate at all')]);
    for (const bytes of [zstd, damaged, Buffer.from('ADB'), Buffer.from('ADB.oops')]) {
      expect(isApkV3(bytes)).toBe(true);
      expect(adbSchema(bytes)).toBeUndefined();
      expect(() => refuseApkV3(bytes, { file: 'x' }, 'package')).toThrow(
        'x: apk v3 format is not supported yet: expected a v2 .apk, found an ADB file',
      );
    }
    const installed = Buffer.concat([
      Buffer.from('ADBd'),
      deflateRawSync(Buffer.from('ADB.idb\0')),
    ]);
    expect(adbSchema(installed)).toBe('installed database');
  });

  it('leaves v2 files and other bytes alone', () => {
    for (const bytes of [Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from('AD'), Buffer.alloc(0)]) {
      expect(isApkV3(bytes)).toBe(false);
      expect(() => refuseApkV3(bytes, { file: 'x' }, 'index')).not.toThrow();
    }
  });

  it('names what was expected and what was found', () => {
    const refuse = () =>
      refuseApkV3(adbFile('pckg'), { file: 'main/x86_64/APKINDEX.tar.gz' }, 'index');
    expect(refuse).toThrow(PackageFormatError);
    expect(refuse).toThrow(
      'main/x86_64/APKINDEX.tar.gz: apk v3 format is not supported yet: expected a v2 APKINDEX.tar.gz, found an ADB package',
    );
  });
});

describe('refuseApkV3Repository', () => {
  const refusal = (url: string): UserError => {
    try {
      refuseApkV3Repository(url, 'x86_64');
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      return error as UserError;
    }
    throw new Error(`${url} was accepted`);
  };

  it.each([
    [
      'https://mirror.example/alpine/v3.24/main/x86_64/Packages.adb',
      'https://mirror.example/alpine/v3.24/main',
    ],
    [
      'https://mirror.example/alpine/v3.24/main/x86_64/Packages.adb/',
      'https://mirror.example/alpine/v3.24/main',
    ],
    [
      'https://mirror.example/alpine/v3.24/main/Packages.adb?token=1',
      'https://mirror.example/alpine/v3.24/main',
    ],
    ['/srv/alpine.iso#/main/x86_64/Packages.adb', '/srv/alpine.iso#/main'],
  ])('refuses %s and suggests %s', (url, base) => {
    const error = refusal(url);
    expect(error.code).toBe('apk-v3-repository');
    expect(error.message).toBe(
      `${url}: apk v3 format is not supported yet: the repository URL names an apk v3 index`,
    );
    expect(error.hint).toBe(
      `use the v2 index: set the repository URL to ${base}, whose x86_64/APKINDEX.tar.gz is read`,
    );
  });

  it.each([
    'https://mirror.example/alpine/v3.24/main',
    'https://mirror.example/alpine/v3.24/main/',
    'file:///srv/packages.adb-mirror/main',
    '/srv/alpine.iso#/',
  ])('accepts the v2 repository URL %s', (url) => {
    expect(() => refuseApkV3Repository(url, 'x86_64')).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixtures.ts';
import { inspectRpm } from './inspect.ts';
import { findPackages } from './rpm-reference.ts';

const PACKAGE_KEYS = [
  'name',
  'epoch',
  'version',
  'release',
  'arch',
  'nevra',
  'summary',
  'license',
  'size',
  'source',
  'format',
  'payload',
  'signatures',
  'dependencies',
  'scripts',
];

describe('inspectRpm', () => {
  it('describes a v6 package with stable key order and sorted entries', async () => {
    const inspection = await inspectRpm(
      fixture('rpm', 'synthetic/rpm-rs_rpm/RPMS/v6/rpm-basic-2.3.4-5.el9.noarch.rpm'),
    );
    expect(Object.keys(inspection)).toEqual(['package', 'entries']);
    expect(Object.keys(inspection.package)).toEqual(PACKAGE_KEYS);
    expect(inspection.package).toMatchObject({
      name: 'rpm-basic',
      epoch: 1,
      nevra: 'rpm-basic-1:2.3.4-5.el9.noarch',
      license: 'MPL-2.0',
      format: 6,
      payload: { format: 'cpio', compressor: 'none' },
      signatures: [],
    });
    const paths = inspection.entries.map((entry) => entry.path);
    expect(paths).toEqual([...paths].sort());
    expect(inspection.entries[0]).toEqual({
      path: '/etc/rpm-basic/example_config.toml',
      type: 'file',
      mode: 0o644,
      user: 'root',
      group: 'root',
      size: 31,
      mtime: 1681068559,
      digest: {
        algorithm: 'sha256',
        hex: '53a79039d2d619dd41cd04d550d94c531ec634cda9457f25031c141d8e4820e8',
      },
      flags: ['config'],
    });
    const ghost = inspection.entries.find((entry) => entry.path === '/var/log/rpm-basic/basic.log');
    expect(ghost?.flags).toEqual(['ghost']);
    expect(JSON.stringify(Object.keys(inspection.entries[0] ?? {}))).toBe(
      '["path","type","mode","user","group","size","mtime","digest","flags"]',
    );
  });

  it('lists signatures with their signers and dependencies with their comparisons', async () => {
    const inspection = await inspectRpm(fixture('rpm', 'distro/bcc-lua-0.10.0-86.12.x86_64.rpm'));
    expect(
      inspection.package.signatures.map((signature) => [signature.tag, signature.keyId]),
    ).toEqual([
      ['rsa-header', '88EB5D66E2C0098C'],
      ['pgp', '88EB5D66E2C0098C'],
    ]);
    const versioned = inspection.package.dependencies.provides.find(
      (dependency) => dependency.name === 'bcc-lua',
    );
    expect(versioned).toEqual({
      name: 'bcc-lua',
      comparison: '=',
      version: '0.10.0-86.12',
      flags: 8,
    });
  });

  it('gives the same JSON twice for every fixture', async () => {
    for (const file of findPackages(fixture('rpm'))) {
      const first = JSON.stringify(await inspectRpm(file));
      expect(JSON.stringify(await inspectRpm(file)), file).toBe(first);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { spdxSchemaProblems } from '../test-support/index.ts';
import { declaredLicense, purlOf, spdxDocument } from './spdx.ts';
import type { SbomInput } from './spdx.ts';

const INPUT: SbomInput = {
  family: 'rpm',
  supplier: 'LevitateOS',
  iso: { file: 'levitateos-0.1.0-x86_64.iso', sha256: 'ab'.repeat(32), version: '0.1.0' },
  epoch: 1_700_000_000,
  tool: 'levitate-tools',
  packages: [
    {
      name: 'ncurses-libs',
      version: '6.4-14.20240127.el10',
      arch: 'x86_64',
      repository: 'baseos',
      sha256: '11'.repeat(32),
      license: 'X11 AND LicenseRef-Fedora-Public-Domain',
    },
    {
      name: 'bash',
      version: '1:5.2.26-6.el10',
      arch: 'x86_64',
      repository: 'baseos',
      sha256: '22'.repeat(32),
      license: 'GPLv3+ and GFDL',
    },
    {
      name: 'libstdc++',
      version: '14.2-1',
      arch: 'x86_64',
      repository: 'baseos',
      sha256: '33'.repeat(32),
    },
  ],
  graph: {
    roots: [{ request: 'bash', package: 'bash' }],
    edges: [
      { from: 'bash', dependency: 'libtinfo.so.6()(64bit)', to: 'ncurses-libs' },
      { from: 'bash', dependency: 'libtinfo.so.6', to: 'ncurses-libs' },
      { from: 'bash', dependency: 'libstdc++', to: 'libstdc++' },
    ],
  },
};

interface Document {
  packages: {
    SPDXID: string;
    name: string;
    licenseDeclared: string;
    licenseComments?: string;
    externalRefs?: { referenceLocator: string }[];
    checksums: { checksumValue: string }[];
  }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  documentNamespace: string;
  creationInfo: { created: string };
}

describe('spdxDocument', () => {
  const text = spdxDocument(INPUT);
  const doc = JSON.parse(text) as Document;

  it('is valid SPDX 2.3 by the published JSON schema', () => {
    expect(spdxSchemaProblems(text)).toEqual([]);
    expect(spdxSchemaProblems('{"spdxVersion": 2}').length).toBeGreaterThan(0);
  });

  it('describes the ISO, which contains every package, and the resolution as DEPENDS_ON', () => {
    expect(doc.packages.map((pkg) => pkg.name)).toEqual([
      'levitateos-0.1.0-x86_64.iso',
      'bash',
      'libstdc++',
      'ncurses-libs',
    ]);
    const types = doc.relationships.map(
      (r) => `${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`,
    );
    expect(types).toEqual([
      'SPDXRef-DOCUMENT DESCRIBES SPDXRef-ISO',
      'SPDXRef-ISO CONTAINS SPDXRef-Package-bash-1-5.2.26-6.el10-x86-64',
      'SPDXRef-ISO CONTAINS SPDXRef-Package-libstdc---14.2-1-x86-64',
      'SPDXRef-ISO CONTAINS SPDXRef-Package-ncurses-libs-6.4-14.20240127.el10-x86-64',
      'SPDXRef-Package-bash-1-5.2.26-6.el10-x86-64 DEPENDS_ON SPDXRef-Package-libstdc---14.2-1-x86-64',
      'SPDXRef-Package-bash-1-5.2.26-6.el10-x86-64 DEPENDS_ON SPDXRef-Package-ncurses-libs-6.4-14.20240127.el10-x86-64',
    ]);
    expect(doc.documentNamespace).toContain(INPUT.iso.sha256);
    expect(doc.creationInfo.created).toBe('2023-11-14T22:13:20Z');
  });

  it('names each package by purl, with its file digest and declared licence', () => {
    const bash = doc.packages.find((pkg) => pkg.name === 'bash');
    expect(bash?.externalRefs?.[0]?.referenceLocator).toBe(
      'pkg:rpm/rocky/bash@1%3A5.2.26-6.el10?arch=x86_64',
    );
    expect(bash?.checksums[0]?.checksumValue).toBe('22'.repeat(32));
    expect(bash?.licenseDeclared).toBe('NOASSERTION');
    expect(bash?.licenseComments).toBe('declared as: GPLv3+ and GFDL');
    expect(doc.packages.find((pkg) => pkg.name === 'ncurses-libs')?.licenseDeclared).toBe(
      'X11 AND LicenseRef-Fedora-Public-Domain',
    );
    expect(
      purlOf('apk', {
        name: 'musl',
        version: '1.2.5-r0',
        arch: 'x86_64',
        repository: 'main',
        sha256: '',
      }),
    ).toBe('pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64');
  });

  it('gives the same bytes for the same inputs in any order', () => {
    const shuffled = { ...INPUT, packages: [...INPUT.packages].reverse() };
    expect(spdxDocument(shuffled)).toBe(text);
  });
});

describe('declaredLicense', () => {
  it.each([
    ['MIT', 'MIT'],
    ['GPL-2.0-or-later WITH Linux-syscall-note', 'GPL-2.0-or-later WITH Linux-syscall-note'],
    ['(MIT OR Apache-2.0) AND BSD-3-Clause', '(MIT OR Apache-2.0) AND BSD-3-Clause'],
    ['GPLv2+ and LGPLv2+', 'NOASSERTION'],
    ['MIT AND', 'NOASSERTION'],
    ['', 'NOASSERTION'],
  ])('%j is declared as %j', (text, declared) => {
    expect(declaredLicense(text).licenseDeclared).toBe(declared);
  });
});

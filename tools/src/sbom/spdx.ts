/**
 * The software bill of materials of a build, as an SPDX 2.3 JSON document: the ISO as the
 * described package, containing one package per installed package (purl, version, licence as
 * declared, SHA-256 of the package file, the repository as supplier), with the dependencies
 * of the resolution as DEPENDS_ON relationships. Everything comes from the build's inputs, in
 * a fixed order, so the same inputs give the same bytes.
 */

import type { DependencyGraph } from '../why/index.ts';

export interface SbomPackage {
  readonly name: string;
  readonly version: string;
  readonly arch: string;
  readonly repository: string;
  /** SHA-256 of the package file, hex. */
  readonly sha256: string;
  /** The licence as the package declares it. */
  readonly license?: string;
}

export interface SbomInput {
  readonly family: 'rpm' | 'apk';
  /** Who makes the image: the variant's name (`AcornOS`). */
  readonly supplier: string;
  readonly iso: { readonly file: string; readonly sha256: string; readonly version: string };
  /** Every timestamp of the build, seconds since the epoch. */
  readonly epoch: number;
  readonly packages: readonly SbomPackage[];
  readonly graph: DependencyGraph;
  /** Named in creationInfo: `levitate-tools-0.1.0`. */
  readonly tool: string;
}

/** The distribution whose packages each format's variants are made of, for purls. */
const PURL_NAMESPACE: Readonly<Record<SbomInput['family'], string>> = {
  rpm: 'rocky',
  apk: 'alpine',
};

const ISO_ID = 'SPDXRef-ISO';

/** An SPDX identifier part: letters, digits, `.` and `-` only. */
function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]/g, '-');
}

function packageId(pkg: SbomPackage): string {
  return `SPDXRef-Package-${idPart(pkg.name)}-${idPart(pkg.version)}-${idPart(pkg.arch)}`;
}

/** `pkg:rpm/rocky/bash@5.2.26-6.el10?arch=x86_64`, parts percent-encoded as the purl spec says. */
export function purlOf(family: SbomInput['family'], pkg: SbomPackage): string {
  const name = encodeURIComponent(pkg.name);
  const version = encodeURIComponent(pkg.version);
  return `pkg:${family}/${PURL_NAMESPACE[family]}/${name}@${version}?arch=${encodeURIComponent(pkg.arch)}`;
}

const OPERATORS = new Set(['AND', 'OR', 'WITH']);

/**
 * The declared licence when it reads as an SPDX licence expression (identifiers joined by
 * AND, OR, WITH and parentheses); otherwise NOASSERTION, the text going to licenseComments
 * (`GPLv2+ and LGPLv2+` is how older RPMs write it).
 */
export function declaredLicense(text: string | undefined): {
  readonly licenseDeclared: string;
  readonly licenseComments?: string;
} {
  if (text === undefined || text.trim() === '') return { licenseDeclared: 'NOASSERTION' };
  const tokens = text
    .replace(/[()]/g, ' ')
    .split(/\s+/)
    .filter((token) => token !== '');
  const words = tokens.filter((token) => !OPERATORS.has(token));
  const wellFormed =
    words.length > 0 &&
    words.every((token) => /^[A-Za-z0-9][A-Za-z0-9.-]*\+?$/.test(token)) &&
    tokens.length === 2 * words.length - 1 &&
    tokens.every((token, index) => OPERATORS.has(token) === (index % 2 === 1));
  return wellFormed
    ? { licenseDeclared: text.trim() }
    : { licenseDeclared: 'NOASSERTION', licenseComments: `declared as: ${text}` };
}

/** The SPDX 2.3 document of a build, as JSON text. */
export function spdxDocument(input: SbomInput): string {
  const packages = [...input.packages].sort(
    (a, b) => a.name.localeCompare(b.name) || a.arch.localeCompare(b.arch),
  );
  const ids = new Map(packages.map((pkg) => [pkg.name, packageId(pkg)]));
  const dependsOn = new Set<string>();
  for (const edge of input.graph.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (from !== undefined && to !== undefined && from !== to) dependsOn.add(`${from} ${to}`);
  }
  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: input.iso.file,
    documentNamespace: `https://spdx.org/spdxdocs/${encodeURIComponent(input.iso.file)}-${input.iso.sha256}`,
    creationInfo: {
      created: new Date(input.epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      creators: [`Tool: ${input.tool}`, `Organization: ${input.supplier}`],
    },
    documentDescribes: [ISO_ID],
    packages: [
      {
        SPDXID: ISO_ID,
        name: input.iso.file,
        versionInfo: input.iso.version,
        supplier: `Organization: ${input.supplier}`,
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        checksums: [{ algorithm: 'SHA256', checksumValue: input.iso.sha256 }],
        primaryPackagePurpose: 'OPERATING_SYSTEM',
        licenseConcluded: 'NOASSERTION',
        licenseDeclared: 'NOASSERTION',
        copyrightText: 'NOASSERTION',
      },
      ...packages.map((pkg) => ({
        SPDXID: packageId(pkg),
        name: pkg.name,
        versionInfo: pkg.version,
        supplier: `Organization: ${pkg.repository}`,
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        checksums: [{ algorithm: 'SHA256', checksumValue: pkg.sha256 }],
        licenseConcluded: 'NOASSERTION',
        ...declaredLicense(pkg.license),
        copyrightText: 'NOASSERTION',
        externalRefs: [
          {
            referenceCategory: 'PACKAGE-MANAGER',
            referenceType: 'purl',
            referenceLocator: purlOf(input.family, pkg),
          },
        ],
      })),
    ],
    relationships: [
      {
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: ISO_ID,
      },
      ...packages.map((pkg) => ({
        spdxElementId: ISO_ID,
        relationshipType: 'CONTAINS',
        relatedSpdxElement: packageId(pkg),
      })),
      ...[...dependsOn].sort().map((pair) => {
        const [from = '', to = ''] = pair.split(' ');
        return { spdxElementId: from, relationshipType: 'DEPENDS_ON', relatedSpdxElement: to };
      }),
    ],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

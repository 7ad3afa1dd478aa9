import type { Slot } from './spec.ts';

/** What an artifact name is made from: a spec, or just these fields of one. */
export interface ArtifactIdentity {
  readonly id: string;
  readonly version: string;
  readonly arch: string;
}

export type Artifact =
  | { readonly kind: 'iso' }
  | { readonly kind: 'iso-checksum' }
  | { readonly kind: 'report' }
  | { readonly kind: 'report-summary' }
  | { readonly kind: 'sbom' }
  | { readonly kind: 'live-uki' }
  | { readonly kind: 'slot-uki'; readonly slot: Slot };

/** The one place artifact file names are made. */
export function artifactName(variant: ArtifactIdentity, artifact: Artifact): string {
  const stem = `${variant.id}-${variant.version}-${variant.arch}`;
  switch (artifact.kind) {
    case 'iso':
      return `${stem}.iso`;
    case 'iso-checksum':
      return `${stem}.iso.sha256`;
    case 'report':
      return `${stem}.report.json`;
    case 'report-summary':
      return `${stem}.report.txt`;
    case 'sbom':
      return `${stem}.spdx.json`;
    case 'live-uki':
      return `${variant.id}-live.efi`;
    case 'slot-uki':
      return `${variant.id}-system-${artifact.slot}.efi`;
  }
}

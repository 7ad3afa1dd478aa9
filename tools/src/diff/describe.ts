import type { BuildDiff } from './build-diff.ts';
import type { FileChange } from './entries.ts';

const bytes = (size: number | undefined) =>
  size === undefined
    ? '-'
    : size >= 1048576
      ? `${(size / 1048576).toFixed(1)} MiB`
      : size >= 1024
        ? `${(size / 1024).toFixed(1)} KiB`
        : `${size} B`;

function sizeText(change: FileChange): string {
  const { a, b } = change.size;
  if (a === undefined && b === undefined) return '';
  if (a === b) return ` (${bytes(a)})`;
  return ` (${bytes(a)} → ${bytes(b)})`;
}

/** The diff as text: one section per artifact, one line per changed path or section. */
export function describeBuildDiff(diff: BuildDiff): string {
  if (diff.identical)
    return `identical: ${diff.a.file} and ${diff.b.file} (sha256 ${diff.a.sha256})`;
  const lines = [
    `${diff.a.file} and ${diff.b.file} differ`,
    `  first:  sha256 ${diff.a.sha256}, ${bytes(diff.a.size)}`,
    `  second: sha256 ${diff.b.sha256}, ${bytes(diff.b.size)}`,
  ];
  if (diff.packages !== undefined) {
    lines.push('', `packages (from the build reports): ${diff.packages.length} changed`);
    for (const pkg of diff.packages) {
      if (pkg.a === undefined) lines.push(`  added    ${pkg.name} ${pkg.b ?? ''}`);
      else if (pkg.b === undefined) lines.push(`  removed  ${pkg.name} ${pkg.a}`);
      else lines.push(`  version  ${pkg.name} ${pkg.a} → ${pkg.b}`);
    }
  }
  for (const artifact of diff.artifacts) {
    if (artifact.sameAs !== undefined) {
      lines.push('', `${artifact.artifact}: the same change as ${artifact.sameAs}`);
      continue;
    }
    if (artifact.sections !== undefined) {
      lines.push('', `${artifact.artifact}: ${artifact.sections.length} sections changed`);
      for (const section of artifact.sections) {
        const size = sizeText({ path: '', kinds: [], size: section.size });
        lines.push(`  ${section.change.padEnd(8)} ${section.section}${size}`);
        for (const line of section.text?.a ?? []) lines.push(`      - ${line}`);
        for (const line of section.text?.b ?? []) lines.push(`      + ${line}`);
      }
      continue;
    }
    lines.push('', `${artifact.artifact}: ${artifact.changes.length} paths changed`);
    for (const change of artifact.changes) {
      const detail = change.detail === undefined ? '' : ` [${change.detail}]`;
      lines.push(
        `  ${change.kinds.join(',').padEnd(8)} ${change.path}${sizeText(change)}${detail}`,
      );
    }
  }
  return lines.join('\n');
}

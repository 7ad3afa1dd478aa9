import type { ResolvedPackage } from '../backend/index.ts';
import { describeSecurityEntry } from '../rootfs/index.ts';
import { describeStageCache } from '../stage-cache/index.ts';
import type { StageCacheReport } from '../stage-cache/index.ts';
import type { EffectOutcome, PackageSecurityEntries } from '../rootfs/index.ts';
import { describeSources } from './repository-sources.ts';
import type { RepositorySources } from './repository-sources.ts';

export interface StageRecord {
  readonly stage: string;
  readonly ms: number;
  /** Size of what the stage produced, when it produced a file. */
  readonly bytes?: number;
}

export interface BuildReport {
  readonly variant: string;
  readonly id: string;
  readonly version: string;
  readonly epoch: number;
  /** Where every repository's index and packages were read from. */
  readonly repositories: readonly RepositorySources[];
  readonly packages: readonly (Pick<
    ResolvedPackage,
    'name' | 'version' | 'arch' | 'repository' | 'size'
  > & {
    /** The request whose dependencies brought the package in (absent: a weak rule did). */
    readonly broughtInBy?: string;
    /** Stored bytes its files take in the squashfs (blocks, and its share of fragments). */
    readonly squashfsBytes?: number;
  })[];
  readonly stages: readonly StageRecord[];
  /** What was reused from the stage cache, and what was made and kept. */
  readonly stageCache?: StageCacheReport;
  /** Package scripts whose effects were not reproduced, so a reviewer can judge them. */
  readonly scriptsNotRun: readonly { readonly package: string; readonly phase: string }[];
  readonly effects: readonly EffectOutcome[];
  /**
   * Setuid/setgid files, world-writable files and non-sticky folders, device nodes and files
   * with capabilities, by the package (or overlay, or effect) that put them in the image.
   */
  readonly security: readonly PackageSecurityEntries[];
  readonly notes: readonly string[];
  /** What was signed for Secure Boot, and with which certificate; absent when unsigned. */
  readonly secureBoot?: SecureBootReport;
  readonly artifacts: readonly {
    readonly file: string;
    readonly bytes: number;
    readonly sha256: string;
  }[];
}

export interface SecureBootReport {
  readonly certificate: { readonly subject: string; readonly sha256: string };
  /** Each signed EFI image, as the build named it. */
  readonly signed: readonly string[];
  readonly enrolment?: { readonly name: string; readonly mode: string };
}

const LARGEST_SHOWN = 10;

/** The readable summary written next to the JSON report. */
export function summariseReport(report: BuildReport): string {
  const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
  const lines = [
    `${report.id} ${report.version} (${report.variant}), epoch ${report.epoch}`,
    '',
    'Artifacts:',
    ...report.artifacts.map(
      (artifact) => `  ${artifact.file}  ${mib(artifact.bytes)}  sha256 ${artifact.sha256}`,
    ),
    '',
    'Repositories:',
    ...describeSources(report.repositories),
    '',
    'Stages:',
    ...report.stages.map(
      (stage) =>
        `  ${stage.stage.padEnd(12)} ${(stage.ms / 1000).toFixed(1).padStart(6)} s${stage.bytes === undefined ? '' : `  ${mib(stage.bytes)}`}`,
    ),
    ...(report.stageCache === undefined ? [] : ['', ...describeStageCache(report.stageCache)]),
    '',
    `Packages (${report.packages.length}, ${mib(report.packages.reduce((sum, pkg) => sum + pkg.size, 0))}), with the request that brought each in:`,
    ...report.packages.map(
      (pkg) =>
        `  ${pkg.name} ${pkg.version} ${pkg.arch} (${pkg.repository}) ${mib(pkg.size)}  ← ${pkg.broughtInBy ?? 'a weak rule (Supplements, install_if)'}`,
    ),
    '',
    'Largest packages (package file size, and what its files take in the squashfs):',
    ...[...report.packages]
      .sort((a, b) => b.size - a.size || a.name.localeCompare(b.name))
      .slice(0, LARGEST_SHOWN)
      .map(
        (pkg) =>
          `  ${mib(pkg.size).padStart(10)}  ${(pkg.squashfsBytes === undefined ? '-' : mib(pkg.squashfsBytes)).padStart(10)} in squashfs  ${pkg.name} ← ${pkg.broughtInBy ?? 'a weak rule'}`,
      ),
    '',
    'Install-script effects:',
    ...report.effects.flatMap((effect) =>
      effect.applied
        ? [`  ${effect.id}: ${effect.describe}`, ...effect.notes.map((note) => `      ${note}`)]
        : [`  ${effect.id}: not needed by this image`],
    ),
    '',
    `Scripts NOT run (${report.scriptsNotRun.length}):`,
    ...report.scriptsNotRun.map((script) => `  ${script.package}: ${script.phase}`),
  ];
  if (report.secureBoot !== undefined) lines.push('', ...summariseSecureBoot(report.secureBoot));
  lines.push('', ...summariseSecurity(report.security));
  if (report.notes.length > 0) lines.push('', 'Notes:', ...summariseNotes(report.notes));
  return `${lines.join('\n')}\n`;
}

function summariseSecureBoot(report: SecureBootReport): string[] {
  return [
    `Secure Boot: signed with ${report.certificate.subject} (SHA-256 ${report.certificate.sha256})`,
    ...report.signed.map((label) => `  ${label}`),
    ...(report.enrolment === undefined
      ? []
      : [
          `  keys to enrol: loader/keys/${report.enrolment.name} (secure-boot-enroll ${report.enrolment.mode})`,
        ]),
  ];
}

/** Every security-relevant entry, by package: a reviewer needs all of them, not a sample. */
function summariseSecurity(security: readonly PackageSecurityEntries[]): string[] {
  const count = security.reduce((sum, group) => sum + group.entries.length, 0);
  return [
    `Security-relevant entries (${count}): setuid/setgid, world-writable (folders without the sticky bit), devices, capabilities`,
    ...security.flatMap((group) => [
      `  ${group.package}:`,
      ...group.entries.map((entry) => `    ${describeSecurityEntry(entry)}`),
    ]),
  ];
}

const NOTES_SHOWN_PER_RULE = 5;

/** Notes (`rule: text`) grouped by rule, a few of each; the JSON report has them all. */
function summariseNotes(notes: readonly string[]): string[] {
  const byRule = new Map<string, string[]>();
  for (const note of notes) {
    const rule = note.slice(0, Math.max(0, note.indexOf(':'))) || 'note';
    byRule.set(rule, [...(byRule.get(rule) ?? []), note]);
  }
  return [...byRule].flatMap(([rule, list]) => [
    `  ${rule} (${list.length}):`,
    ...list.slice(0, NOTES_SHOWN_PER_RULE).map((note) => `    ${note.slice(rule.length + 2)}`),
    ...(list.length > NOTES_SHOWN_PER_RULE
      ? [`    ... ${list.length - NOTES_SHOWN_PER_RULE} more in the JSON report`]
      : []),
  ]);
}

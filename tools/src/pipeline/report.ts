import type { ResolvedPackage } from '../backend/index.ts';

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
  readonly packages: readonly Pick<
    ResolvedPackage,
    'name' | 'version' | 'arch' | 'repository' | 'size'
  >[];
  readonly stages: readonly StageRecord[];
  /** Package scripts whose effects were not reproduced, so a reviewer can judge them. */
  readonly scriptsNotRun: readonly { readonly package: string; readonly phase: string }[];
  readonly effects: readonly string[];
  readonly notes: readonly string[];
  readonly artifacts: readonly {
    readonly file: string;
    readonly bytes: number;
    readonly sha256: string;
  }[];
}

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
    'Stages:',
    ...report.stages.map(
      (stage) =>
        `  ${stage.stage.padEnd(12)} ${(stage.ms / 1000).toFixed(1).padStart(6)} s${stage.bytes === undefined ? '' : `  ${mib(stage.bytes)}`}`,
    ),
    '',
    `Packages (${report.packages.length}, ${mib(report.packages.reduce((sum, pkg) => sum + pkg.size, 0))}):`,
    ...report.packages.map(
      (pkg) => `  ${pkg.name} ${pkg.version} ${pkg.arch} (${pkg.repository}) ${mib(pkg.size)}`,
    ),
    '',
    `Install-script effects applied: ${report.effects.length === 0 ? 'none' : ''}`,
    ...report.effects.map((effect) => `  ${effect}`),
    '',
    `Scripts NOT run (${report.scriptsNotRun.length}):`,
    ...report.scriptsNotRun.map((script) => `  ${script.package}: ${script.phase}`),
  ];
  if (report.notes.length > 0) lines.push('', 'Notes:', ...report.notes.map((note) => `  ${note}`));
  return `${lines.join('\n')}\n`;
}

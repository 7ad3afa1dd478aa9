export {
  InternalError,
  ToolError,
  UserError,
  describeThrown,
  inStage,
  shellQuote,
} from './core/errors.ts';
export type { ToolErrorDetails } from './core/errors.ts';
export { exitCodeFor, formatError } from './core/format-error.ts';
export { baseEnvironment, createRunner } from './core/run.ts';
export { startProcess } from './core/process.ts';
export type { RunningProcess, StartOptions } from './core/process.ts';
export type {
  BinaryRunResult,
  BinaryRunner,
  RunOptions,
  RunResult,
  Runner,
  RunnerOptions,
} from './core/run.ts';
export { assertHost, checkHost, installCommand } from './core/host.ts';
export type {
  CheckHostOptions,
  HostCheckResult,
  HostNeeds,
  HostRequirement,
  HostTool,
  HostUse,
} from './core/host.ts';
export { HOST_TOOLS } from './core/host-tools.ts';
export type { HostToolId } from './core/host-tools.ts';
export { HOST_USES, requirementFor, requirementsFor, requirementsOf } from './core/host-uses.ts';
export { createReporter, detectReporterMode, formatDuration } from './core/step.ts';
export type { Reporter, ReporterMode, ReporterOptions, StepEvent } from './core/step.ts';
export { createVariantCli } from './cli/variant-cli.ts';
export type { VariantCliOptions } from './cli/variant-cli.ts';
export { runCli } from './cli/run-cli.ts';
export type { BuildReport } from './pipeline/report.ts';
export type {
  RepositoryOrigin,
  RepositorySources,
  SourceKind,
} from './pipeline/repository-sources.ts';
export { WORKSPACE_ROOT } from './workspace/root.ts';
export { fixture, fixturesDir, minirootfsTarball } from './test-support/fixtures.ts';
export {
  DEBIAN_KERNEL_META,
  hostKernelRelease,
  releaseOfImagePackage,
} from './test-support/host-kernel.ts';
export * from './compress/index.ts';
export * from './packages/index.ts';
export * from './boot/index.ts';

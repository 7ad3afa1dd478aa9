export { compareEvr, formatEvr, parseEvr, rpmvercmp } from './vercmp.ts';
export {
  evrRange,
  formatNevra,
  packageMatches,
  provideSatisfies,
  rangesOverlap,
} from './dependency.ts';
export type { RpmVersionRange } from './dependency.ts';
export { formatDependency } from '../rpm-repo/dependency-text.ts';
export { formatRich, isRich, parseRich, RichDependencyError } from './rich.ts';
export type { RichChainOperator, RichDependency } from './rich.ts';
export { richClauses, richHolds, termProviders } from './rich-logic.ts';
export type { RichAtoms } from './rich-logic.ts';
export { archPolicy } from './arch.ts';
export type { ArchPolicy } from './arch.ts';
export { RpmResolveError } from './errors.ts';
export { resolveRpm } from './resolve.ts';
export type { RpmResolution, RpmResolveOptions } from './resolve.ts';
export { loadRpmFilelists } from './filelists.ts';
export type { RpmFileOwner, RpmFilelistIndex } from './filelists.ts';
export type { RpmPackageFiles, RpmResolveRepository } from './pool.ts';
export { describeReason, reasonChain } from './reasons.ts';
export type { RpmInstallReason } from './reasons.ts';
export { rpmInstallOrder } from './install-order.ts';

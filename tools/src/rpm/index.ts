/**
 * Reading RPM packages (v3/v4 and rpm 6's v6 format) without rpm: headers and their typed
 * fields, the file list as PackageEntry values, digest and OpenPGP signature verification, and
 * streaming extraction of the payload with per-file digest checks. Nothing is written to disk.
 *
 * - readRpmHeaders(file): lead, signature header and main header, with their byte ranges.
 * - listRpmEntries(headers): the file list in header order.
 * - verifyRpm(file, { keyring, requireSignature }): what `rpm -K` checks, with a policy.
 * - streamRpmEntries(file, options): entries with their content, verified as they stream.
 * - inspectRpm(file): a JSON-stable description for `leviso inspect FILE.rpm --json`.
 * - measureRpmExtraction(file): streams everything and counts, for benchmarks.
 */

export { RpmHeaders, readRpmHeaders } from './package-headers.ts';
export type { ByteRange, RpmLayout, RpmPayloadInfo } from './package-headers.ts';
export { HeaderBlob } from './header-blob.ts';
export { MAIN_HEADER_LIMITS, SIGNATURE_HEADER_LIMITS } from './header-index.ts';
export type { HeaderEntry, HeaderLimits } from './header-index.ts';
export type { RpmLead } from './lead.ts';
export { RegionTag, RpmTagType, SigTag, Tag } from './tags.ts';
export { RpmSense } from './dependencies.ts';
export type { RpmDependencies, RpmDependencyKind } from './dependencies.ts';
export { listRpmEntries } from './files.ts';
export { listSignatures } from './signatures.ts';
export type { RpmSignatureSummary, RpmSignatureTag } from './signatures.ts';
export type { RpmDigestCheck } from './signature-digests.ts';
export { verifyRpm, verifyRpmDigests } from './verify.ts';
export type {
  RpmSignatureCheck,
  RpmSignatureStatus,
  RpmVerifyOptions,
  RpmVerifyReport,
} from './verify.ts';
export { streamRpmEntries } from './stream.ts';
export type { StreamRpmOptions } from './stream.ts';
export { inspectRpm } from './inspect.ts';
export type { RpmInspectedDependency, RpmInspectedDependencies, RpmInspection } from './inspect.ts';
export { measureRpmExtraction } from './measure.ts';

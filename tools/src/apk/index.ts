export { splitGzipMembers } from './gzip-members.ts';
export type { GzipMember, SplitGzipOptions } from './gzip-members.ts';
export { ApkKeys, loadApkKeys } from './apk-keys.ts';
export { parseSignatureName } from './apk-signature.ts';
export type { ApkSignature, ApkSignatureScheme } from './apk-signature.ts';
export {
  APK_V3_UNSUPPORTED,
  adbSchema,
  isApkV3,
  refuseApkV3,
  refuseApkV3Repository,
} from './apk-v3.ts';
export type { AdbSchema, ApkFileKind } from './apk-v3.ts';
export { readApkIndex } from './apkindex.ts';
export type { ApkIndex, ReadApkIndexOptions } from './apkindex.ts';
export { readApkPackage } from './apk-package.ts';
export type { ApkPackage, ReadApkOptions } from './apk-package.ts';
export { formatControlHash } from './control-hash.ts';
export { parsePkginfo } from './pkginfo.ts';
export type { ApkPackageInfo } from './pkginfo.ts';
export { streamApkEntries, streamPackageData } from './apk-stream.ts';
export { decodeFileCapabilities } from './capabilities.ts';
export { inspectApk } from './inspect.ts';
export type { ApkInspection, ApkPackageSummary, InspectApkOptions } from './inspect.ts';
export { measureApkExtraction } from './measure.ts';
export { DEFAULT_APK_LIMITS } from './limits.ts';
export type { ApkLimits } from './limits.ts';

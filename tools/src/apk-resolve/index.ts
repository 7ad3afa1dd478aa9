export type { ApkIndexInput } from './catalog.ts';
export {
  formatApkDependency,
  parseApkDependency,
  parseApkDependencyList,
  versionSatisfies,
} from './dependency.ts';
export type { ApkDependency, ApkVersionOp } from './dependency.ts';
export { ApkResolveError } from './errors.ts';
export {
  APK_INDEX_FIELDS,
  APK_INDEX_RECORD_FIELDS,
  APK_INSTALLED_ONLY_FIELDS,
} from './index-fields.ts';
export type {
  ApkIndexField,
  ApkIndexFieldKind,
  ApkIndexFieldValues,
  ApkIndexFieldWhenEmpty,
} from './index-fields.ts';
export type { ApkSelectionReason } from './install-order.ts';
export { APK_INDEX_PARSER_VERSION, parseApkIndexText } from './parse-index.ts';
export { wantedChain } from './problems.ts';
export { apkPackageId } from './record.ts';
export type { ApkIndexRecord, ApkIndexSource } from './record.ts';
export {
  APK_CATALOG_FORMAT,
  PackedCatalogView,
  isPackedCatalog,
  packCatalog,
} from './packed-catalog.ts';
export type { PackedCatalog } from './packed-catalog.ts';
export { createApkResolver, resolveApk, resolverOn } from './resolve.ts';
export type { ApkResolution, ApkResolveOptions, ApkResolver } from './resolve.ts';
export { compareApkVersions, isValidApkVersion } from './version.ts';

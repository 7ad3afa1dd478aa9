export { APK_REPO_DIR, DEFAULT_CACHE_DIR, buildApkFixtureRepository } from './build-repository.ts';
export type { ApkFixtureRepository, BuildApkFixtureOptions } from './build-repository.ts';
export { generateSigningKey, privateKeyPem, signingKeyFromPem } from './signing-key.ts';
export type { ApkSignatureScheme, ApkSigningKey } from './signing-key.ts';
export { writeApkPackage } from './apk-writer.ts';
export { formatIndexRecord } from './control-text.ts';
export { writeApkIndex, writeApkIndexText } from './apkindex-writer.ts';
export type { WrittenApk } from './control-text.ts';
export type { ApkEntry, ApkPackageSpec, ApkScript } from './package-spec.ts';

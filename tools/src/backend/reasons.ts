import type { ApkSelectionReason } from '../apk-resolve/index.ts';
import { formatApkDependency } from '../apk-resolve/index.ts';

/** A one-line reason for a package in an APK resolution. */
export function describeApkReason(reason: ApkSelectionReason): string {
  switch (reason.kind) {
    case 'requested':
      return `requested as ${formatApkDependency(reason.dependency)}`;
    case 'dependency':
      return `required by ${reason.by} for ${formatApkDependency(reason.dependency)}`;
    case 'install-if':
      return `installed because ${reason.conditions.map(formatApkDependency).join(', ')} are installed`;
  }
}

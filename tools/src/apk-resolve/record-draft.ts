import type { ApkDependency } from './dependency.ts';
import type { ApkIndexRecord, ApkIndexSource } from './record.ts';

/**
 * A record being read, with a property for every field of `APK_INDEX_FIELDS`; every property
 * exists from the start so that all drafts share one shape.
 */
export class RecordDraft {
  checksum: string | undefined = undefined;
  name: string | undefined = undefined;
  version: string | undefined = undefined;
  arch: string | undefined = undefined;
  size: number | undefined = undefined;
  installedSize: number | undefined = undefined;
  description: string | undefined = undefined;
  url: string | undefined = undefined;
  license: string | undefined = undefined;
  origin: string | undefined = undefined;
  maintainer: string | undefined = undefined;
  buildTime: number | undefined = undefined;
  commit: string | undefined = undefined;
  depends: readonly ApkDependency[] = [];
  provides: readonly ApkDependency[] = [];
  installIf: readonly ApkDependency[] = [];
  replaces: readonly ApkDependency[] = [];
  providerPriority: number | undefined = undefined;
  replacesPriority: number | undefined = undefined;
  otherFields: Record<string, string[]> = {};

  constructor(readonly line: number) {}

  toRecord(source: ApkIndexSource, name: string, version: string): ApkIndexRecord {
    return {
      repository: source.repository,
      file: source.file,
      line: this.line,
      checksum: this.checksum,
      name,
      version,
      arch: this.arch,
      size: this.size,
      installedSize: this.installedSize,
      description: this.description,
      url: this.url,
      license: this.license,
      origin: this.origin,
      maintainer: this.maintainer,
      buildTime: this.buildTime,
      commit: this.commit,
      depends: this.depends,
      provides: this.provides,
      installIf: this.installIf,
      replaces: this.replaces,
      providerPriority: this.providerPriority,
      replacesPriority: this.replacesPriority,
      otherFields: this.otherFields,
    };
  }
}

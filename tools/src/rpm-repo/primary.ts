import {
  parseChecksum,
  parseCount,
  parseDependency,
  parseEvr,
  parseOptionalCount,
} from './fields.ts';
import {
  MAX_ENTRIES_PER_PACKAGE,
  MAX_EXPANDED_BYTES,
  MAX_PACKAGES,
  MAX_RETAINED_CHARS,
} from './limits.ts';
import { DEPENDENCY_LISTS, emptyDraft, finishPackage, parseLocation } from './primary-draft.ts';
import type { Draft } from './primary-draft.ts';
import { MetadataProblem } from './problem.ts';
import type { MetadataContext } from './problem.ts';
import type { RpmDependency, RpmRepoPackage } from './types.ts';
import { streamXml } from './xml-stream.ts';
import type { XmlElement, XmlInput, XmlVisitor } from './xml-stream.ts';

const COMMON_NAMESPACE = 'http://linux.duke.edu/metadata/common';

/** Elements whose text is kept: directly under `<package>`, and under `<format>`. */
const PACKAGE_TEXT = new Set(['name', 'arch', 'summary', 'checksum']);
const FORMAT_TEXT = new Set(['rpm:license', 'rpm:vendor', 'rpm:sourcerpm', 'file']);

/** Builds {@link RpmRepoPackage} records from primary.xml element events. */
class PrimaryVisitor implements XmlVisitor<RpmRepoPackage> {
  readonly records: RpmRepoPackage[] = [];
  private declared: number | undefined;
  private count = 0;
  private draft: Draft | undefined;
  private list: RpmDependency[] | undefined;
  /** Characters of dependencies and files kept so far. */
  private retained = 0;

  constructor(private readonly repository: string) {}

  private get what(): string {
    const name = this.draft?.name;
    return name ? `package ${name}` : `package #${this.count}`;
  }

  open(element: XmlElement, parent: XmlElement | undefined): boolean {
    const { key, attributes, depth } = element;
    if (depth === 0) {
      if (key !== 'metadata') throw new MetadataProblem(`root element is <${key}>, not <metadata>`);
      const declared = attributes.get('packages');
      if (declared !== undefined) this.declared = parseCount(declared, 'packages attribute');
      return false;
    }
    if (depth === 1) {
      if (key !== 'package') return false;
      if (++this.count > MAX_PACKAGES) {
        throw new MetadataProblem(`more than ${MAX_PACKAGES} packages`);
      }
      this.draft = emptyDraft();
      return false;
    }
    const draft = this.draft;
    if (draft === undefined || parent === undefined) return false;
    if (depth === 2) return this.openPackageChild(draft, element);
    if (depth === 3 && parent.key === 'format') {
      if (key === 'rpm:header-range') {
        const start = parseCount(attributes.get('start'), `${this.what}: header-range start`);
        const end = parseCount(attributes.get('end'), `${this.what}: header-range end`);
        if (end < start) {
          throw new MetadataProblem(`${this.what}: header-range ends before it starts`);
        }
        draft.headerRange = { start, end };
      }
      const kind = DEPENDENCY_LISTS.get(key);
      if (kind !== undefined) this.list = draft.dependencies[kind];
      return FORMAT_TEXT.has(key);
    }
    if (depth === 4 && key === 'rpm:entry' && this.list !== undefined) {
      const dependency = parseDependency(attributes, this.what);
      const { name, version, release } = dependency;
      this.countEntry(draft, name.length + (version?.length ?? 0) + (release?.length ?? 0));
      this.list.push(dependency);
    }
    return false;
  }

  private openPackageChild(draft: Draft, { key, attributes }: XmlElement): boolean {
    switch (key) {
      case 'version':
        draft.evr = parseEvr(attributes, this.what);
        return false;
      case 'time':
        draft.buildTime = parseOptionalCount(attributes.get('build'), `${this.what}: build time`);
        return false;
      case 'size':
        draft.packageSize = parseOptionalCount(attributes.get('package'), `${this.what}: size`);
        draft.installedSize = parseOptionalCount(attributes.get('installed'), `${this.what}: size`);
        return false;
      case 'location':
        parseLocation(draft, attributes, this.what);
        return false;
      default:
        return PACKAGE_TEXT.has(key);
    }
  }

  private countEntry(draft: Draft, chars: number): void {
    if (++draft.entries > MAX_ENTRIES_PER_PACKAGE) {
      throw new MetadataProblem(`${this.what}: more than ${MAX_ENTRIES_PER_PACKAGE} entries`);
    }
    this.retained += chars;
    if (this.retained > MAX_RETAINED_CHARS) {
      throw new MetadataProblem(`holds more than ${MAX_RETAINED_CHARS} characters of data`);
    }
  }

  close(element: XmlElement, text: string): void {
    const draft = this.draft;
    if (draft === undefined) return;
    const { key, depth } = element;
    if (depth === 1 && key === 'package') {
      this.records.push(finishPackage(draft, this.repository, this.what));
      this.draft = undefined;
    } else if (depth === 2) {
      if (key === 'name') draft.name = text.trim();
      else if (key === 'arch') draft.arch = text.trim();
      else if (key === 'summary') draft.summary = text.trim();
      else if (key === 'checksum') {
        draft.checksum = parseChecksum(element.attributes.get('type'), text, this.what);
      }
    } else if (depth === 3) {
      if (DEPENDENCY_LISTS.has(key)) this.list = undefined;
      else if (key === 'rpm:license') draft.license = text.trim();
      else if (key === 'rpm:vendor') draft.vendor = text.trim();
      else if (key === 'rpm:sourcerpm') draft.sourceRpm = text.trim();
      else if (key === 'file') {
        if (text === '') throw new MetadataProblem(`${this.what}: empty <file>`);
        this.countEntry(draft, text.length);
        draft.files.push(text);
      }
    }
  }

  finish(): void {
    if (this.declared !== undefined && this.declared !== this.count) {
      throw new MetadataProblem(
        `declares ${this.declared} packages but lists ${this.count}: the file is incomplete`,
      );
    }
  }
}

/**
 * Parses decompressed primary.xml as it streams in, yielding each package when its element
 * closes. Checksums are the caller's business: see `loadRpmRepository`.
 */
export function parsePrimary(
  input: XmlInput,
  repository: string,
  options: { file?: string; maxBytes?: number } = {},
): AsyncGenerator<RpmRepoPackage> {
  const context: MetadataContext = {
    repository,
    file: options.file ?? 'primary.xml',
    kind: 'primary metadata',
  };
  return streamXml(input, new PrimaryVisitor(repository), context, {
    namespaces: [COMMON_NAMESPACE],
    maxBytes: options.maxBytes ?? MAX_EXPANDED_BYTES,
  });
}

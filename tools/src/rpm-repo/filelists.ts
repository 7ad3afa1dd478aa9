import { parseCount, parseEvr } from './fields.ts';
import {
  MAX_ENTRIES_PER_PACKAGE,
  MAX_EXPANDED_BYTES,
  MAX_PACKAGES,
  MAX_RETAINED_CHARS,
} from './limits.ts';
import { MetadataProblem } from './problem.ts';
import type { MetadataContext } from './problem.ts';
import type { RpmEvr } from './types.ts';
import { streamXml } from './xml-stream.ts';
import type { XmlElement, XmlInput, XmlVisitor } from './xml-stream.ts';

const FILELISTS_NAMESPACE = 'http://linux.duke.edu/metadata/filelists';

/** Every file of one package, from filelists.xml. */
export interface RpmFilelist {
  /** The package file's checksum, as `checksum.value` of the package in primary. */
  readonly pkgid: string;
  readonly name: string;
  readonly arch: string;
  readonly evr: RpmEvr;
  /** Files, directories and ghosts, as listed. */
  readonly files: string[];
}

interface Draft {
  pkgid: string;
  name: string;
  arch: string;
  evr?: RpmEvr;
  files: string[];
  chars: number;
}

class FilelistsVisitor implements XmlVisitor<RpmFilelist> {
  readonly records: RpmFilelist[] = [];
  private declared: number | undefined;
  private count = 0;
  private draft: Draft | undefined;

  private get what(): string {
    return `package #${this.count}`;
  }

  open({ key, attributes, depth }: XmlElement): boolean {
    if (depth === 0) {
      if (key !== 'filelists') {
        throw new MetadataProblem(`root element is <${key}>, not <filelists>`);
      }
      const declared = attributes.get('packages');
      if (declared !== undefined) this.declared = parseCount(declared, 'packages attribute');
      return false;
    }
    if (depth === 1 && key === 'package') {
      if (++this.count > MAX_PACKAGES) {
        throw new MetadataProblem(`more than ${MAX_PACKAGES} packages`);
      }
      const pkgid = (attributes.get('pkgid') ?? '').toLowerCase();
      const name = attributes.get('name') ?? '';
      const arch = attributes.get('arch') ?? '';
      if (!/^[0-9a-f]{32,128}$/.test(pkgid) || name === '' || arch === '') {
        throw new MetadataProblem(`${this.what}: <package> needs pkgid, name and arch`);
      }
      this.draft = { pkgid, name, arch, files: [], chars: 0 };
      return false;
    }
    if (depth !== 2 || this.draft === undefined) return false;
    if (key === 'version') this.draft.evr = parseEvr(attributes, this.what);
    return key === 'file';
  }

  close({ key, depth }: XmlElement, text: string): void {
    const draft = this.draft;
    if (draft === undefined) return;
    if (depth === 2 && key === 'file') {
      if (text === '') throw new MetadataProblem(`${this.what}: empty <file>`);
      if (draft.files.length >= MAX_ENTRIES_PER_PACKAGE) {
        throw new MetadataProblem(`${this.what}: more than ${MAX_ENTRIES_PER_PACKAGE} files`);
      }
      draft.chars += text.length;
      if (draft.chars > MAX_RETAINED_CHARS) {
        throw new MetadataProblem(
          `${this.what}: more than ${MAX_RETAINED_CHARS} characters of paths`,
        );
      }
      draft.files.push(text);
    } else if (depth === 1 && key === 'package') {
      if (draft.evr === undefined) throw new MetadataProblem(`${this.what}: no <version>`);
      this.records.push({
        pkgid: draft.pkgid,
        name: draft.name,
        arch: draft.arch,
        evr: draft.evr,
        files: draft.files,
      });
      this.draft = undefined;
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

/** Parses decompressed filelists.xml as it streams in, one package at a time. */
export function parseFilelists(
  input: XmlInput,
  repository: string,
  options: { file?: string; maxBytes?: number } = {},
): AsyncGenerator<RpmFilelist> {
  const context: MetadataContext = {
    repository,
    file: options.file ?? 'filelists.xml',
    kind: 'filelists metadata',
  };
  return streamXml(input, new FilelistsVisitor(), context, {
    namespaces: [FILELISTS_NAMESPACE],
    maxBytes: options.maxBytes ?? MAX_EXPANDED_BYTES,
  });
}

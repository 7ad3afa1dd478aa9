import { parseChecksum, parseCount } from './fields.ts';
import type { Checksum } from './fields.ts';
import { MAX_REPOMD_BYTES, MAX_REPOMD_ENTRIES } from './limits.ts';
import { MetadataProblem } from './problem.ts';
import type { MetadataContext } from './problem.ts';
import { checkRelativePath } from './source.ts';
import { streamXml } from './xml-stream.ts';
import type { XmlAttributes, XmlElement, XmlVisitor } from './xml-stream.ts';

const REPO_NAMESPACE = 'http://linux.duke.edu/metadata/repo';

/** One `<data>` entry of repomd.xml: a metadata file and what it must look like. */
export interface RepomdData {
  /** `primary`, `filelists`, `group_gz`, `primary_zck`, `updateinfo`, ... */
  readonly type: string;
  /** Path relative to the repository root, normalised. */
  readonly location: string;
  /** `xml:base` of the location, when the file lives elsewhere. */
  readonly locationBase?: string;
  /** Checksum of the file as stored (compressed). */
  readonly checksum: Checksum;
  /** Checksum of the decompressed content. */
  readonly openChecksum?: Checksum;
  /** zchunk header checksum. */
  readonly headerChecksum?: Checksum;
  readonly size?: number;
  readonly openSize?: number;
  readonly headerSize?: number;
  /** Seconds since the epoch. */
  readonly timestamp?: number;
  /** sqlite schema version, for the `_db` types. */
  readonly databaseVersion?: number;
}

type Draft = { -readonly [K in keyof RepomdData]?: RepomdData[K] };

const COUNTS: ReadonlyMap<string, 'size' | 'openSize' | 'headerSize' | 'databaseVersion'> = new Map(
  [
    ['size', 'size'],
    ['open-size', 'openSize'],
    ['header-size', 'headerSize'],
    ['database_version', 'databaseVersion'],
  ],
);
const CHECKSUMS: ReadonlyMap<string, 'checksum' | 'openChecksum' | 'headerChecksum'> = new Map([
  ['checksum', 'checksum'],
  ['open-checksum', 'openChecksum'],
  ['header-checksum', 'headerChecksum'],
]);

class RepomdVisitor implements XmlVisitor<never> {
  readonly records: never[] = [];
  readonly data: RepomdData[] = [];
  revision: string | undefined;
  private draft: Draft | undefined;

  open({ key, attributes, depth }: XmlElement): boolean {
    if (depth === 0) {
      if (key !== 'repomd') throw new MetadataProblem(`root element is <${key}>, not <repomd>`);
      return false;
    }
    if (depth === 1) {
      if (key === 'revision') return true;
      if (key !== 'data') return false;
      const type = attributes.get('type') ?? '';
      if (!/^[A-Za-z0-9_.-]{1,100}$/.test(type)) {
        throw new MetadataProblem(`<data> type ${JSON.stringify(type)} is not valid`);
      }
      if (this.data.some((entry) => entry.type === type)) {
        throw new MetadataProblem(`<data type="${type}"> appears twice`);
      }
      if (this.data.length >= MAX_REPOMD_ENTRIES) {
        throw new MetadataProblem(`more than ${MAX_REPOMD_ENTRIES} <data> entries`);
      }
      this.draft = { type };
      return false;
    }
    if (depth !== 2 || this.draft === undefined) return false;
    if (key === 'location') this.readLocation(this.draft, attributes);
    return CHECKSUMS.has(key) || COUNTS.has(key) || key === 'timestamp';
  }

  private readLocation(draft: Draft, attributes: XmlAttributes): void {
    try {
      draft.location = checkRelativePath(attributes.get('href') ?? '');
    } catch (error) {
      throw new MetadataProblem(`<data type="${draft.type}">: ${(error as Error).message}`);
    }
    const base = attributes.get('xml:base');
    if (base !== undefined) draft.locationBase = base;
  }

  close({ key, attributes, depth }: XmlElement, text: string): void {
    if (depth === 1 && key === 'revision') this.revision = text.trim();
    const draft = this.draft;
    if (draft === undefined) return;
    const what = `<data type="${draft.type}">`;
    if (depth === 1 && key === 'data') {
      const { type, location, checksum } = draft;
      if (type === undefined || location === undefined || checksum === undefined) {
        throw new MetadataProblem(`${what} needs a <location> and a <checksum>`);
      }
      this.data.push({ ...draft, type, location, checksum });
      this.draft = undefined;
      return;
    }
    if (depth !== 2) return;
    const checksumField = CHECKSUMS.get(key);
    const countField = COUNTS.get(key);
    if (checksumField !== undefined) {
      draft[checksumField] = parseChecksum(attributes.get('type'), text, `${what} ${key}`);
    } else if (countField !== undefined) {
      draft[countField] = parseCount(text, `${what} ${key}`);
    } else if (key === 'timestamp') {
      // createrepo wrote fractional seconds for a while.
      const seconds = /^\s*\d{1,15}(\.\d{1,9})?\s*$/.test(text) ? Math.floor(Number(text)) : NaN;
      if (Number.isNaN(seconds)) throw new MetadataProblem(`${what}: bad timestamp ${text}`);
      draft.timestamp = seconds;
    }
  }

  finish(): void {}
}

export interface ParsedRepomd {
  readonly revision?: string;
  readonly data: readonly RepomdData[];
}

/** Parses repomd.xml (already read whole: it is small and its exact bytes are signed). */
export async function parseRepomd(
  bytes: Uint8Array,
  context: MetadataContext,
): Promise<ParsedRepomd> {
  const visitor = new RepomdVisitor();
  const records = streamXml([bytes], visitor, context, {
    namespaces: [REPO_NAMESPACE],
    maxBytes: MAX_REPOMD_BYTES,
  });
  for await (const _ of records) {
    // The visitor collects the entries.
  }
  return {
    ...(visitor.revision ? { revision: visitor.revision } : {}),
    data: visitor.data,
  };
}

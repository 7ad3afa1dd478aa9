import { SaxesParser } from 'saxes';
import type { SaxesTagNS } from 'saxes';
import { messageOf, UserError } from '../core/errors.ts';
import { MAX_FIELD_CHARS, MAX_XML_DEPTH, MAX_XML_TOKEN_CHARS } from './limits.ts';
import { MetadataProblem, malformedMetadata } from './problem.ts';
import type { MetadataContext } from './problem.ts';

export const RPM_NAMESPACE = 'http://linux.duke.edu/metadata/rpm';
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const PREFIXES = new Map([
  [RPM_NAMESPACE, 'rpm:'],
  [XML_NAMESPACE, 'xml:'],
]);

/** Decompressed XML as it arrives: a stream, or any (async) iterable of chunks. */
export type XmlInput = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** An element's attributes by the name written: `href`, or `xml:base` and `xml:lang`. */
export interface XmlAttributes {
  get(name: string): string | undefined;
  has(name: string): boolean;
}

export interface XmlElement {
  /**
   * The local name for elements in the document's own namespace, `rpm:name` for the RPM
   * namespace, `{uri}name` for any other.
   */
  readonly key: string;
  readonly attributes: XmlAttributes;
  /** 0 for the root element. */
  readonly depth: number;
}

/** Turns element events into records; throws {@link MetadataProblem} on bad content. */
export interface XmlVisitor<T> {
  /** Finished records; the reader takes them out after each chunk. */
  readonly records: T[];
  /** Returns true to have the element's text collected and passed to {@link close}. */
  open(element: XmlElement, parent: XmlElement | undefined): boolean;
  close(element: XmlElement, text: string): void;
  /** Called after the document ended well-formed. */
  finish(): void;
}

export interface XmlStreamOptions {
  /** Namespaces whose elements are keyed by their bare local name (besides no namespace). */
  readonly namespaces: readonly string[];
  /** Most bytes of XML accepted. */
  readonly maxBytes: number;
}

function qualify(uri: string, local: string, own: readonly string[]): string {
  if (uri === '' || own.includes(uri)) return local;
  const prefix = PREFIXES.get(uri);
  return prefix === undefined ? `{${uri}}${local}` : `${prefix}${local}`;
}

/** Reads attributes from the parser's tag only when asked: most are never looked at. */
class TagAttributes implements XmlAttributes {
  constructor(private readonly tag: SaxesTagNS) {}

  get(name: string): string | undefined {
    const value = this.tag.attributes[name]?.value;
    if (value !== undefined && value.length > MAX_FIELD_CHARS) {
      throw new MetadataProblem(`attribute ${name} of <${this.tag.name}> is too long`);
    }
    return value;
  }

  has(name: string): boolean {
    return this.tag.attributes[name] !== undefined;
  }
}

/**
 * Parses an XML document as it streams in and yields the visitor's records. Never holds more
 * than one chunk plus one token of the text. Errors name the repository, the file and the line.
 */
export async function* streamXml<T>(
  input: XmlInput,
  visitor: XmlVisitor<T>,
  context: MetadataContext,
  options: XmlStreamOptions,
): AsyncGenerator<T> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: { element: XmlElement; text: string | undefined }[] = [];
  let lastEvent = 0;
  parser.on('xmldecl', (decl) => {
    const encoding = decl.encoding?.toLowerCase();
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'utf8') {
      throw new MetadataProblem(`encoding ${decl.encoding} is not supported (only UTF-8)`);
    }
  });
  parser.on('opentag', (tag) => {
    lastEvent = parser.position;
    if (stack.length >= MAX_XML_DEPTH) throw new MetadataProblem('elements nested too deeply');
    const parent = stack[stack.length - 1]?.element;
    const element: XmlElement = {
      key: qualify(tag.uri, tag.local, options.namespaces),
      attributes: new TagAttributes(tag),
      depth: stack.length,
    };
    stack.push({ element, text: visitor.open(element, parent) ? '' : undefined });
  });
  const onText = (text: string) => {
    lastEvent = parser.position;
    const top = stack[stack.length - 1];
    if (top?.text === undefined) return;
    top.text += text;
    if (top.text.length > MAX_FIELD_CHARS) {
      throw new MetadataProblem(`text of <${top.element.key}> is too long`);
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    lastEvent = parser.position;
    const top = stack.pop();
    if (top !== undefined) visitor.close(top.element, top.text ?? '');
  });

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk: Uint8Array | string, stream: boolean): string => {
    if (typeof chunk === 'string') return chunk;
    try {
      return decoder.decode(chunk, { stream });
    } catch (error) {
      throw new MetadataProblem('is not valid UTF-8', { cause: error });
    }
  };
  let bytes = 0;
  let phase: 'reading' | 'parsing' | 'ending' = 'reading';
  try {
    for await (const chunk of input) {
      phase = 'parsing';
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        throw new MetadataProblem(`expands to more than ${options.maxBytes} bytes`);
      }
      parser.write(decode(chunk, true));
      if (parser.position - lastEvent > MAX_XML_TOKEN_CHARS) {
        throw new MetadataProblem(
          `a single tag or text runs over ${MAX_XML_TOKEN_CHARS} characters`,
        );
      }
      phase = 'reading';
      if (visitor.records.length > 0) yield* visitor.records.splice(0);
    }
    phase = 'parsing';
    parser.write(decode(new Uint8Array(), false));
    phase = 'ending';
    parser.close();
    visitor.finish();
    phase = 'reading';
    yield* visitor.records.splice(0);
  } catch (error) {
    throw describe(error, phase, `line ${parser.line}, column ${parser.column}`);
  }

  function describe(error: unknown, during: typeof phase, position: string): Error {
    if (error instanceof UserError) return error;
    const message = messageOf(error);
    let problem: string;
    if (during === 'reading') problem = `cannot read or decompress: ${message}`;
    else if (!(error instanceof MetadataProblem)) {
      // saxes reports "line:column: message".
      const located = /^(\d+):(\d+): (.*)$/s.exec(message);
      problem = located
        ? `malformed XML (line ${located[1]}, column ${located[2]}): ${located[3]}`
        : `malformed XML: ${message}`;
    } else {
      problem = during === 'ending' ? message : `${message} (${position})`;
    }
    return malformedMetadata(context, problem, { cause: error });
  }
}

import { MAX_COMPS_ENTRIES_PER_GROUP, MAX_COMPS_GROUPS, MAX_EXPANDED_BYTES } from './limits.ts';
import { MetadataProblem } from './problem.ts';
import type { MetadataContext } from './problem.ts';
import type { Comps, CompsEnvironment, CompsGroup } from './types.ts';
import { streamXml } from './xml-stream.ts';
import type { XmlAttributes, XmlElement, XmlInput, XmlVisitor } from './xml-stream.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };
type Group = Mutable<CompsGroup>;
type Environment = Mutable<CompsEnvironment>;

const REQUIREMENT_TYPES = new Set(['mandatory', 'default', 'optional', 'conditional']);

/** Collects groups and environments; categories and langpacks are not needed. */
class CompsVisitor implements XmlVisitor<never> {
  readonly records: never[] = [];
  readonly groups: CompsGroup[] = [];
  readonly environments: CompsEnvironment[] = [];
  private current: { group: Group } | { environment: Environment } | undefined;
  /** The list element open inside the current group or environment. */
  private list: 'packagelist' | 'grouplist' | 'optionlist' | undefined;
  private entries = 0;

  private get what(): string {
    const current = this.current;
    if (current === undefined) return 'comps';
    const [kind, id] =
      'group' in current ? ['group', current.group.id] : ['environment', current.environment.id];
    return id === ''
      ? `${kind} #${this.groups.length + this.environments.length + 1}`
      : `${kind} ${id}`;
  }

  open({ key, attributes, depth }: XmlElement): boolean {
    if (depth === 0) {
      if (key !== 'comps') throw new MetadataProblem(`root element is <${key}>, not <comps>`);
      return false;
    }
    if (depth === 1) {
      this.start(key);
      return false;
    }
    if (this.current === undefined) return false;
    if (depth === 2) {
      if (key === 'packagelist' || key === 'grouplist' || key === 'optionlist') this.list = key;
      return key === 'id' || (key === 'name' && !attributes.has('xml:lang'));
    }
    if (depth !== 3) return false;
    if (this.list === 'packagelist') return key === 'packagereq';
    return this.list !== undefined && key === 'groupid';
  }

  private start(key: string): void {
    if (key !== 'group' && key !== 'environment') return;
    if (this.groups.length + this.environments.length >= MAX_COMPS_GROUPS) {
      throw new MetadataProblem(`more than ${MAX_COMPS_GROUPS} groups and environments`);
    }
    this.entries = 0;
    this.list = undefined;
    this.current =
      key === 'group'
        ? {
            group: { id: '', name: '', mandatory: [], default: [], optional: [], conditional: [] },
          }
        : { environment: { id: '', name: '', groups: [], optionalGroups: [] } };
  }

  close(element: XmlElement, text: string): void {
    const current = this.current;
    if (current === undefined) return;
    const { key, depth } = element;
    const record = 'group' in current ? current.group : current.environment;
    if (depth === 1) {
      if (record.id === '') throw new MetadataProblem(`${this.what}: no <id>`);
      if (record.name === '') record.name = record.id;
      if ('group' in current) this.groups.push(current.group);
      else this.environments.push(current.environment);
      this.current = undefined;
    } else if (depth === 2) {
      if (key === 'id') record.id = text.trim();
      else if (key === 'name' && !element.attributes.has('xml:lang')) record.name = text.trim();
      else if (key === this.list) this.list = undefined;
    } else if (depth === 3 && (key === 'packagereq' || key === 'groupid') && this.list) {
      const value = text.trim();
      if (value === '') throw new MetadataProblem(`${this.what}: empty <${key}>`);
      if (++this.entries > MAX_COMPS_ENTRIES_PER_GROUP) {
        throw new MetadataProblem(`${this.what}: more than ${MAX_COMPS_ENTRIES_PER_GROUP} entries`);
      }
      if ('group' in current) this.addPackage(current.group, element.attributes, value);
      else if (this.list === 'optionlist') current.environment.optionalGroups.push(value);
      else current.environment.groups.push(value);
    }
  }

  private addPackage(group: Group, attributes: XmlAttributes, name: string): void {
    const type = attributes.get('type') ?? 'mandatory';
    if (!REQUIREMENT_TYPES.has(type)) {
      throw new MetadataProblem(`${this.what}: packagereq ${name} has unknown type ${type}`);
    }
    if (type !== 'conditional') {
      group[type as 'mandatory' | 'default' | 'optional'].push(name);
      return;
    }
    const requires = attributes.get('requires') ?? '';
    if (requires === '') {
      throw new MetadataProblem(`${this.what}: conditional packagereq ${name} has no requires`);
    }
    group.conditional.push({ name, requires });
  }

  finish(): void {}
}

/**
 * Reads a comps document (decompressed): groups with their package lists, and environments
 * with their groups. A `<packagereq>` without a type is mandatory, as yum read it.
 */
export async function parseComps(
  input: XmlInput,
  options: { repository?: string; file?: string; maxBytes?: number } = {},
): Promise<Comps> {
  const context: MetadataContext = {
    repository: options.repository ?? '(none)',
    file: options.file ?? 'comps.xml',
    kind: 'comps',
  };
  const visitor = new CompsVisitor();
  const records = streamXml(input, visitor, context, {
    namespaces: [],
    maxBytes: options.maxBytes ?? MAX_EXPANDED_BYTES,
  });
  for await (const _ of records) {
    // Groups are collected by the visitor; nothing is yielded.
  }
  return { groups: visitor.groups, environments: visitor.environments };
}

import { codecFromName } from '../compress/codec.ts';
import { decompressBuffer } from '../compress/decompress.ts';
import { elfSection } from './elf.ts';
import { baseName } from './root-view.ts';
import type { RootView } from './root-view.ts';

const MODULE_FILE = /\.ko(\.(xz|zst|gz))?$/;

/** Whether a file name is a kernel module, plain or compressed. */
export function isModuleFile(name: string): boolean {
  return MODULE_FILE.test(name);
}

/** `crc-t10dif.ko.zst` → `crc_t10dif`: the kernel treats `-` and `_` in names alike. */
export function moduleName(fileOrName: string): string {
  return normalizeModuleName(baseName(fileOrName).replace(MODULE_FILE, ''));
}

export function normalizeModuleName(name: string): string {
  return name.replaceAll('-', '_');
}

/** The path of a module with any compression suffix dropped (`x.ko.xz` → `x.ko`). */
export function plainModulePath(path: string): string {
  return path.replace(/\.ko\.(xz|zst|gz)$/, '.ko');
}

/** The module file's bytes from the root, decompressed according to its suffix. */
export async function readModule(root: RootView, path: string): Promise<Uint8Array> {
  const bytes = await root.readFile(path);
  if (bytes === undefined) throw new Error(`kernel module ${path} is not in the image`);
  const codec = codecFromName(path);
  return codec === undefined ? bytes : decompressBuffer(bytes, codec);
}

/** The `key=value` fields of a module's `.modinfo` section; keys may repeat (`alias`). */
export function parseModinfo(moduleBytes: Uint8Array): Map<string, string[]> {
  const section = elfSection(moduleBytes, '.modinfo');
  const fields = new Map<string, string[]>();
  if (section === undefined) return fields;
  for (const entry of new TextDecoder().decode(section).split('\0')) {
    const equals = entry.indexOf('=');
    if (equals <= 0) continue;
    const key = entry.slice(0, equals);
    fields.set(key, [...(fields.get(key) ?? []), entry.slice(equals + 1)]);
  }
  return fields;
}

/** The names in a module's `depends=` field. */
export function modinfoDepends(fields: Map<string, string[]>): string[] {
  return (fields.get('depends') ?? [])
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

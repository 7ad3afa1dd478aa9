import { createHash } from 'node:crypto';
import { readPeLayout } from '../boot/pe.ts';

/** The sections of a UKI that a diff looks into, as the UKI specification names them. */
export const UKI_SECTIONS = ['.linux', '.initrd', '.cmdline', '.osrel', '.uname', '.sbat'] as const;

/** Sections whose text is shown when it changes. */
const TEXT_SECTIONS = new Set(['.cmdline', '.osrel', '.uname', '.sbat']);

export interface SectionChange {
  readonly section: string;
  readonly change: 'added' | 'removed' | 'content';
  readonly size: { readonly a?: number; readonly b?: number };
  /** For the text sections: the lines on either side that differ. */
  readonly text?: { readonly a: readonly string[]; readonly b: readonly string[] };
}

/** Each section's bytes, by name, from a PE image (the virtual size, not the file padding). */
export function peSections(image: Uint8Array): Map<string, Uint8Array> {
  const sections = new Map<string, Uint8Array>();
  for (const section of readPeLayout(image).sections) {
    const size =
      section.virtualSize > 0 && section.virtualSize <= section.rawSize
        ? section.virtualSize
        : section.rawSize;
    sections.set(section.name, image.subarray(section.rawOffset, section.rawOffset + size));
  }
  return sections;
}

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** A section's text as the units that change: kernel arguments, or lines. */
function linesOf(section: string, bytes: Uint8Array): string[] {
  const text = new TextDecoder().decode(bytes).replace(/\0+$/, '');
  return (section === '.cmdline' ? text.split(/\s+/) : text.split('\n')).filter(Boolean);
}

/** The UKI sections that differ between two images, text sections with their differing lines. */
export function diffUkiSections(
  a: ReadonlyMap<string, Uint8Array>,
  b: ReadonlyMap<string, Uint8Array>,
): SectionChange[] {
  const changes: SectionChange[] = [];
  for (const section of UKI_SECTIONS) {
    const left = a.get(section);
    const right = b.get(section);
    if (left === undefined && right === undefined) continue;
    const size = {
      ...(left === undefined ? {} : { a: left.length }),
      ...(right === undefined ? {} : { b: right.length }),
    };
    if (left === undefined) changes.push({ section, change: 'added', size });
    else if (right === undefined) changes.push({ section, change: 'removed', size });
    else if (digest(left) !== digest(right)) {
      if (!TEXT_SECTIONS.has(section)) {
        changes.push({ section, change: 'content', size });
        continue;
      }
      const before = linesOf(section, left);
      const after = linesOf(section, right);
      changes.push({
        section,
        change: 'content',
        size,
        text: {
          a: before.filter((line) => !after.includes(line)),
          b: after.filter((line) => !before.includes(line)),
        },
      });
    }
  }
  return changes;
}

import { readFile } from 'node:fs/promises';
import { checkHost } from '../core/host.ts';
import { requirementsOf } from '../core/host-uses.ts';
import type { ArtifactInput } from '../stage-cache/index.ts';
import type { EspOptions } from './esp.ts';
import type { UkiContents } from './uki.ts';

/** Everything a UKI is made of: the stub and every section's content. */
export function ukiInputs(stub: Uint8Array, contents: UkiContents): ArtifactInput[] {
  return [
    stub,
    contents.linux,
    contents.initrd,
    contents.osRelease,
    contents.cmdline,
    contents.uname,
    JSON.stringify(contents.sbat),
    contents.timestamp,
  ];
}

/**
 * Everything an ESP image is made of: its settings, each file's place and content, and the
 * programs that make it (mkfs.fat, mtools), whose own bytes stand for their versions.
 */
export async function espInputs(options: EspOptions): Promise<ArtifactInput[]> {
  const tools = await checkHost(requirementsOf(['mkfsFat', 'mmd', 'mcopy'], 'build'));
  const programs = await Promise.all(
    tools.map(async (tool) =>
      tool.location === undefined ? 'missing' : new Uint8Array(await readFile(tool.location)),
    ),
  );
  const files = await Promise.all(
    options.files.map(async (file) => [file.path, new Uint8Array(await readFile(file.source))]),
  );
  return [options.label, options.volumeId, options.epoch, ...programs, ...files.flat()];
}

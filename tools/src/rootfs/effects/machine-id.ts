import { ImageBuildError } from '../errors.ts';
import { shellWords } from './script-lines.ts';
import type { ScriptEffect } from './types.ts';

const ID = 'machine-id';
const PATH = '/etc/machine-id';

/** Install-script lines that run systemd-machine-id-setup (any arguments). */
function machineIdLines(body: string): number[] {
  return body.split('\n').flatMap((line, index) => {
    const words = shellWords(line.trim());
    const program = words?.[0];
    return program?.slice(program.lastIndexOf('/') + 1) === 'systemd-machine-id-setup'
      ? [index]
      : [];
  });
}

/**
 * An empty /etc/machine-id (0444 root:root): systemd then treats the boot as the first one and
 * mounts a transient id over it, so that no two machines booted from the image share one. A
 * machine-id a package or overlay put there is replaced (and noted).
 */
export const machineIdEffect: ScriptEffect = {
  id: ID,
  describe: 'empty /etc/machine-id, so that every boot of the image gets its own id',
  families: ['apk', 'rpm'],
  inits: ['systemd'],
  claims(_pkg, script) {
    const lines = machineIdLines(script.body);
    return lines.length === 0 ? undefined : lines;
  },
  applies() {
    return true;
  },
  async apply({ tree }) {
    const notes: string[] = [];
    const existing = tree.get(PATH);
    if (existing !== undefined) {
      const size = existing.kind === 'file' ? existing.content.size : undefined;
      if (existing.kind !== 'file' || size !== 0) {
        const what = existing.kind === 'file' ? `a ${size}-byte file` : `a ${existing.kind}`;
        notes.push(`replaced ${PATH} of ${existing.origin} (${what}) with an empty one`);
        tree.note('replaced', PATH, ID, notes[0] as string);
      }
    }
    const placed = tree.place(
      PATH,
      ID,
      tree.epoch,
      (message) => new ImageBuildError('rootfs-machine-id', `cannot create ${PATH}: ${message}`),
    );
    if (existing?.kind === 'directory') {
      throw new ImageBuildError('rootfs-machine-id', `${PATH} is a directory in the image`);
    }
    await tree.writeFile(
      placed.path,
      new Uint8Array(),
      { mode: 0o444, uid: 0, gid: 0, mtime: tree.epoch, xattrs: {} },
      ID,
    );
    notes.push(`${PATH} is empty (0444 root:root): first boot generates a transient id`);
    return notes;
  },
};

import { UnsafeEntryError } from '../../packages/errors.ts';
import { normalisePath } from '../paths.ts';
import type { ScriptEffect } from './types.ts';
import { scriptLines } from './script-lines.ts';
import { symlinkNode } from './tree-folders.ts';

const ID = 'busybox-applet-links';
const BUSYBOX = '/bin/busybox';
const APPLET_LIST = '/etc/busybox-paths.d/busybox';
/** Lines of busybox's own scripts that `busybox --install -s` and its folder creation stand for. */
const INSTALL_LINE = /^(\S*\/)?busybox\s+(--install\s+-s|mkdir\s+-p)\b/;
const PHASES = ['post-install', 'post-upgrade', 'trigger'];

/**
 * `busybox --install -s` as Alpine's busybox package runs it: a symlink to /bin/busybox for
 * each applet path in /etc/busybox-paths.d/busybox that nothing occupies yet (a path another
 * package installed, such as coreutils' /bin/ls, is left alone).
 */
export const busyboxAppletsEffect: ScriptEffect = {
  id: ID,
  describe: `applet symlinks to ${BUSYBOX} listed in ${APPLET_LIST}`,
  families: ['apk'],
  claims(pkg, script) {
    if (pkg.package.name !== 'busybox' || !PHASES.includes(script.phase)) return undefined;
    const lines = scriptLines(script.body).filter(({ text }) => INSTALL_LINE.test(text));
    return lines.length === 0 ? undefined : lines.map(({ index }) => index);
  },
  applies({ tree }) {
    return tree.fileAt(APPLET_LIST) !== undefined && tree.fileAt(BUSYBOX) !== undefined;
  },
  async apply({ tree }) {
    const list = Buffer.from((await tree.readFile(APPLET_LIST)) ?? new Uint8Array()).toString(
      'utf8',
    );
    const notes: string[] = [];
    let created = 0;
    let present = 0;
    for (const line of list.split('\n').map((text) => text.trim())) {
      if (line === '') continue;
      const path = normalisePath(`/${line}`);
      if (path === undefined || path === '/') {
        notes.push(`skipped ${JSON.stringify(line)}: not an applet path`);
        continue;
      }
      if (tree.lookup(path, { follow: false }) !== undefined) {
        present += 1;
        continue;
      }
      try {
        const refuse = (message: string) =>
          new UnsafeEntryError({ package: 'busybox', file: APPLET_LIST, message });
        const placed = tree.place(path, ID, tree.epoch, refuse);
        tree.set(placed.path, symlinkNode(BUSYBOX, ID, tree.epoch));
        created += 1;
      } catch (error) {
        if (!(error instanceof UnsafeEntryError)) throw error;
        notes.push(`no link for ${path}: ${error.message}`);
      }
    }
    notes.unshift(`${created} applet links created, ${present} applet paths already taken`);
    return notes;
  },
};

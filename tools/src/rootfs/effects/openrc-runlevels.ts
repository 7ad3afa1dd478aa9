import type { Service } from '@levitate/distro-spec';
import { ImageBuildError } from '../errors.ts';
import type { ImageTree } from '../image-tree.ts';
import { rootMeta } from '../nodes.ts';
import type { ScriptEffect } from './types.ts';

const ID = 'openrc-runlevels';

function missingScript(service: Service): ImageBuildError {
  return new ImageBuildError(
    'rootfs-service-missing',
    `service ${service.name} (runlevel ${service.runlevel}) has no /etc/init.d/${service.name} in the image`,
    service.package === undefined
      ? `add the package that ships /etc/init.d/${service.name} to the variant's packages (and name it as the service's package in the variant file), or drop the service`
      : `add ${service.package} to the variant's packages, or drop the service`,
  );
}

function ensureDirectory(tree: ImageTree, path: string): string {
  const refuse = (message: string) =>
    new ImageBuildError('rootfs-runlevel', `cannot create ${path}: ${message}`);
  const placed = tree.place(path, ID, tree.epoch, refuse);
  const existing = tree.lookup(placed.path);
  if (existing === undefined) {
    tree.set(placed.path, {
      kind: 'directory',
      ...rootMeta(tree.epoch),
      origin: ID,
      implicit: false,
    });
    return placed.path;
  }
  if (existing.node.kind !== 'directory') throw refuse(`${existing.path} is not a folder`);
  return existing.path;
}

/**
 * `rc-update add NAME LEVEL` for each service the variant enables: the symlink
 * /etc/runlevels/LEVEL/NAME → /etc/init.d/NAME. A service whose init script no package
 * installed is an error naming the package that should provide it.
 */
export const openrcRunlevelsEffect: ScriptEffect = {
  id: ID,
  describe: 'OpenRC runlevel links for the services the variant enables',
  families: ['apk', 'rpm'],
  inits: ['openrc'],
  claims() {
    return undefined;
  },
  applies({ spec }) {
    return spec.services.some((service) => service.runlevel !== undefined);
  },
  async apply({ tree, spec }) {
    const notes: string[] = [];
    for (const service of spec.services) {
      if (service.runlevel === undefined) continue;
      if (!/^[A-Za-z0-9][A-Za-z0-9@._-]*$/.test(service.name)) {
        throw new ImageBuildError(
          'rootfs-service-name',
          `service name ${JSON.stringify(service.name)} is not a file name`,
        );
      }
      const script = tree.lookup(`/etc/init.d/${service.name}`);
      if (
        script === undefined ||
        (script.node.kind !== 'file' && script.node.kind !== 'hardlink')
      ) {
        throw missingScript(service);
      }
      const dir = ensureDirectory(tree, `/etc/runlevels/${service.runlevel}`);
      const link = `${dir}/${service.name}`;
      const target = `/etc/init.d/${service.name}`;
      const existing = tree.get(link);
      if (existing?.kind === 'symlink' && existing.target === target) {
        notes.push(`${service.name} already in runlevel ${service.runlevel}`);
        continue;
      }
      if (existing !== undefined && existing.kind !== 'symlink') {
        throw new ImageBuildError('rootfs-runlevel', `${link} exists and is not a symlink`);
      }
      tree.set(link, {
        kind: 'symlink',
        mode: 0o777,
        uid: 0,
        gid: 0,
        mtime: tree.epoch,
        xattrs: {},
        origin: ID,
        target,
      });
      tree.note('runlevel', link, ID, `${service.name} added to runlevel ${service.runlevel}`);
      notes.push(`${service.name} → ${service.runlevel}`);
    }
    return notes;
  },
};

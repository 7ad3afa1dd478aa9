import type { Service } from '@levitate/distro-spec';
import { ImageBuildError } from '../errors.ts';
import { ensureFolder, symlinkNode } from './tree-folders.ts';
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
      const dir = ensureFolder(tree, `/etc/runlevels/${service.runlevel}`, ID, 'rootfs-runlevel');
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
      tree.set(link, symlinkNode(target, ID, tree.epoch));
      tree.note('runlevel', link, ID, `${service.name} added to runlevel ${service.runlevel}`);
      notes.push(`${service.name} → ${service.runlevel}`);
    }
    return notes;
  },
};

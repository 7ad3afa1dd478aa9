import { plainModulePath } from './modinfo.ts';
import type { KernelModule } from './modules.ts';
import { defined } from '../core/errors.ts';

/**
 * modules.dep for the modules copied (uncompressed) into the initramfs. Each line lists every
 * module the first one needs, the one loaded last first, as depmod writes it.
 */
export function modulesDepText(modules: readonly KernelModule[]): string {
  const byName = new Map(modules.map((module) => [module.name, module]));
  const position = new Map(modules.map((module, index) => [module.name, index]));
  const lines = modules.map((module) => {
    const needs = new Set<string>();
    const collect = (name: string) => {
      for (const dependency of byName.get(name)?.depends ?? []) {
        if (needs.has(dependency) || !byName.has(dependency)) continue;
        needs.add(dependency);
        collect(dependency);
      }
    };
    collect(module.name);
    const ordered = [...needs].sort((a, b) => (position.get(b) ?? 0) - (position.get(a) ?? 0));
    const paths = ordered.map((name) =>
      plainModulePath(defined(byName.get(name), `module ${name}`).relativePath),
    );
    return `${plainModulePath(module.relativePath)}:${paths.map((path) => ` ${path}`).join('')}`;
  });
  return lines.map((line) => `${line}\n`).join('');
}

/** modules.alias lines (`alias pci:v00008086d* ata_piix`) from each module's `alias=` fields. */
export function modulesAliasText(
  modules: readonly { readonly name: string; readonly aliases: readonly string[] }[],
): string {
  return modules
    .flatMap((module) => module.aliases.map((alias) => `alias ${alias} ${module.name}\n`))
    .join('');
}

/** The load list /init reads: one absolute module path per line, dependencies first. */
export function moduleLoadList(kernelVersion: string, modules: readonly KernelModule[]): string {
  return modules
    .map((module) => `/lib/modules/${kernelVersion}/${plainModulePath(module.relativePath)}\n`)
    .join('');
}

import type { PathSegment } from './source.ts';
import type { ServiceDefinition, VariantDefinition } from './schema.ts';

export interface Inconsistency {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** Rules that span several fields of a merged definition. */
export function findInconsistencies(def: VariantDefinition): Inconsistency[] {
  return [
    ...duplicates(
      def.keys.map((key) => key.name),
      ['keys'],
      'key',
    ),
    ...duplicates(
      def.repositories.map((repo) => repo.name),
      ['repositories'],
      'repository',
    ),
    ...unknownKeyReferences(def),
    ...serviceRunlevels(def.init, def.services, ['services']),
    ...Object.entries(def.features).flatMap(([name, feature]) =>
      serviceRunlevels(def.init, feature.services, ['features', name, 'services']),
    ),
    ...duplicates(
      def.services.map((service) => service.name),
      ['services'],
      'service',
    ),
    ...partitionLayout(def),
  ];
}

function duplicates(names: readonly string[], path: PathSegment[], what: string): Inconsistency[] {
  const seen = new Set<string>();
  const out: Inconsistency[] = [];
  names.forEach((name, index) => {
    if (seen.has(name))
      out.push({ path: [...path, index], message: `duplicate ${what} "${name}"` });
    seen.add(name);
  });
  return out;
}

function unknownKeyReferences(def: VariantDefinition): Inconsistency[] {
  const known = new Set(def.keys.map((key) => key.name));
  return def.repositories.flatMap((repo, r) =>
    repo.keys
      .map((name, k) => ({ name, k }))
      .filter(({ name }) => !known.has(name))
      .map(({ name, k }) => ({
        path: ['repositories', r, 'keys', k],
        message: `no key named "${name}" in keys (known: ${[...known].join(', ')})`,
      })),
  );
}

function serviceRunlevels(
  init: VariantDefinition['init'],
  services: readonly ServiceDefinition[],
  path: PathSegment[],
): Inconsistency[] {
  return services.flatMap((service, index) => {
    if (init === 'openrc' && service.runlevel === undefined) {
      return [
        { path: [...path, index], message: `OpenRC service "${service.name}" needs a runlevel` },
      ];
    }
    if (init === 'systemd' && service.runlevel !== undefined) {
      return [
        {
          path: [...path, index, 'runlevel'],
          message: `systemd unit "${service.name}" takes no runlevel; systemd presets decide ordering`,
        },
      ];
    }
    return [];
  });
}

/** The installed layout: ESP first, system-a and system-b, and var taking the rest. */
function partitionLayout(def: VariantDefinition): Inconsistency[] {
  const parts = def.disk.partitions;
  const out: Inconsistency[] = [];
  const at = (index: number, message: string) =>
    out.push({ path: ['disk', 'partitions', index], message });
  if (parts[0]?.role !== 'esp') at(0, 'the first partition must be the ESP (role: esp)');
  parts.forEach((part, index) => {
    if (part.role === 'esp' && part.filesystem !== 'vfat') at(index, 'the ESP must be vfat');
    if (part.role === 'system' && part.slot === undefined)
      at(index, 'a system partition needs slot a or b');
    if (part.role !== 'system' && part.slot !== undefined)
      at(index, 'only system partitions have a slot');
    if (part.size === 'rest' && index !== parts.length - 1)
      at(index, 'only the last partition may take the rest');
  });
  for (const slot of ['a', 'b'] as const) {
    const count = parts.filter((part) => part.role === 'system' && part.slot === slot).length;
    if (count !== 1)
      at(0, `expected exactly one system partition for slot ${slot}, found ${count}`);
  }
  if (!parts.some((part) => part.role === 'var'))
    at(parts.length - 1, 'a var partition is required');
  return out;
}

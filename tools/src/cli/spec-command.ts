import type { ResolveOptions, VariantSpec } from '@levitate/distro-spec';
import { cacheDirFrom } from './build-options.ts';
import { loadVariantForCli } from './load-variant.ts';

/** `spec`: the resolved variant as a summary, or as JSON. */
export async function runSpecCommand(
  variant: string,
  options: ResolveOptions,
  json: boolean,
  cacheDir: string = cacheDirFrom({ verify: true }),
): Promise<string> {
  const spec = await loadVariantForCli(variant, options, cacheDir);
  return json ? `${JSON.stringify(spec, null, 2)}\n` : `${describeSpec(spec)}\n`;
}

/** A readable summary of a resolved variant, for `spec` without `--json`. */
export function describeSpec(spec: VariantSpec): string {
  const features = Object.entries(spec.features).map(
    ([name, feature]) => `${name} (${feature.enabled ? 'on' : 'off'}): ${feature.description}`,
  );
  const weakDeps = spec.family === 'rpm' && !spec.installWeakDeps ? ' (no weak dependencies)' : '';
  const rows: [string, string][] = [
    ['variant', `${spec.prettyName} [${spec.id}] from ${spec.files.join(' <- ')}`],
    ['system', `${spec.arch}, ${spec.family} packages, ${spec.libc}, ${spec.init}`],
    ...spec.repositories.map((repo): [string, string] => [
      'repository',
      `${repo.name} (priority ${repo.priority}): ${repo.url}${repo.keysDir ? ` keys from ${repo.keysDir}` : ''}`,
    ]),
    ...spec.keys.map((key): [string, string] => [
      'key',
      `${key.name} ${key.fingerprint ?? `sha256:${key.sha256 ?? ''}`}`,
    ]),
    ['packages', `${spec.packages.join(' ')}${weakDeps}`],
    [
      'services',
      spec.services
        .map((service) => (service.runlevel ? `${service.name}@${service.runlevel}` : service.name))
        .join(' '),
    ],
    ...features.map((line): [string, string] => ['feature', line]),
    ['kernel', `${spec.kernel.package}: ${spec.kernel.cmdline.join(' ')}`],
    [
      'live',
      `label ${spec.boot.live.volumeLabel}, ${spec.boot.live.uki}: ${spec.boot.live.cmdline.join(' ')}`,
    ],
    ...spec.boot.slots.map((slot): [string, string] => [
      'slot',
      `${slot.slot}: ${slot.uki} on ${slot.partitionLabel}`,
    ]),
    [
      'disk',
      spec.disk.partitions.map((part) => `${part.label}:${part.size}:${part.filesystem}`).join(' '),
    ],
    ...spec.overlays.map((overlay): [string, string] => [
      'overlay',
      `${overlay.dir} (${overlay.permissions.length} permission entries)`,
    ]),
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n');
}

import type { VerifiedPackage } from '../../backend/types.ts';
import type { PackageScript } from '../../packages/model.ts';
import { ImageBuildError } from '../errors.ts';
import type { ImageTree } from '../image-tree.ts';
import { decide, parsePresets } from './presets.ts';
import type { PresetRule } from './presets.ts';
import { claimBlocks, scriptLines, shellWords } from './script-lines.ts';
import { FolderIndex, configFiles, readText } from './tree-folders.ts';
import type { EffectSpec, ScriptEffect } from './types.ts';
import { UNIT_DIRS, UnitSearch } from './unit-enable.ts';
import { UNIT_SUFFIXES, parseUnitName } from './unit-files.ts';

const ID = 'systemd-presets';

export const PRESET_DIRS = [
  '/etc/systemd/system-preset',
  '/usr/local/lib/systemd/system-preset',
  '/usr/lib/systemd/system-preset',
];

/** The units enabled in the image, by package, for the claims of `systemctl enable` lines. */
const enabledFor = new WeakMap<VerifiedPackage, ReadonlySet<string>>();

const SYSTEMCTL_OPTIONS =
  /^(--no-reload|-q|--quiet|--system|--no-warn|-f|--force|--preset-mode=\w+)$/;
const base = (word: string | undefined) => word?.slice(word.lastIndexOf('/') + 1);

/** Does this command line do what the effect does: preset, preset-all, enable of units it enabled? */
function standsIn(words: readonly string[], enabled: ReadonlySet<string>): boolean {
  const program = base(words[0]);
  if (program === 'systemd-update-helper') return words[1] === 'install-system-units';
  if (program !== 'systemctl') return false;
  const args = words.slice(1);
  if (args.some((arg) => arg.startsWith('-') && !SYSTEMCTL_OPTIONS.test(arg))) return false;
  const [verb, ...units] = args.filter((arg) => !arg.startsWith('-'));
  if (verb === 'preset-all') return units.length === 0;
  if (verb === 'preset') return units.length > 0;
  return verb === 'enable' && units.length > 0 && units.every((unit) => enabled.has(unit));
}

function presetLines(script: PackageScript, enabled: ReadonlySet<string>): number[] {
  const claimed = new Set(
    scriptLines(script.body).flatMap(({ index, text }) => {
      const words = shellWords(text);
      return words !== undefined && standsIn(words, enabled) ? [index] : [];
    }),
  );
  return claimed.size === 0 ? [] : claimBlocks(script.body, claimed);
}

async function loadRules(tree: ImageTree, index: FolderIndex, notes: string[]) {
  const rules: PresetRule[] = [];
  const files = configFiles(tree, index, PRESET_DIRS, '.preset');
  for (const file of files) {
    rules.push(...parsePresets((await readText(tree, file.path)) ?? '', file.path, notes));
  }
  return { rules, files: files.length };
}

function serviceName(name: string): string {
  return UNIT_SUFFIXES.some((suffix) => name.endsWith(suffix)) ? name : `${name}.service`;
}

async function enableServices(
  search: UnitSearch,
  spec: EffectSpec,
  enabled: Set<string>,
  notes: string[],
): Promise<string[]> {
  const done: string[] = [];
  for (const service of spec.services) {
    const name = serviceName(service.name);
    const unit = parseUnitName(name);
    if (unit === undefined || unit.instance === '') {
      throw new ImageBuildError(
        'rootfs-service-name',
        `service ${JSON.stringify(service.name)} is not a systemd unit name`,
        'name a unit (sshd.service) or an instance of a template (getty@tty1.service)',
      );
    }
    const found = await search.find(name);
    if (found === undefined || found.kind === 'masked') {
      const where = unit.instance ? `${name} nor its template ${unit.template}` : name;
      throw new ImageBuildError(
        'rootfs-service-missing',
        found === undefined
          ? `service ${name} cannot be enabled: no unit file ${where} is in the image`
          : `service ${name} cannot be enabled: ${found.path} masks it`,
        found === undefined
          ? `add the package that ships ${unit.instance ? unit.template : name} to the variant's packages, or drop the service`
          : 'remove the mask from the overlay or drop the service',
      );
    }
    if (found.install === undefined) {
      throw new ImageBuildError(
        'rootfs-service-static',
        `service ${name} cannot be enabled: ${found.path} has no [Install] section`,
        'a unit without [Install] is started by what depends on it; drop it from the services',
      );
    }
    const result = await search.enable(found, undefined);
    notes.push(...result.problems);
    for (const unitName of [name, ...result.enabled]) enabled.add(unitName);
    done.push(name);
  }
  return done;
}

/**
 * `systemctl preset-all` and `systemctl enable` of the variant's services, done in TypeScript:
 * every unit with an [Install] section in the unit search path is enabled or not as the first
 * matching preset rule says (no rule: enabled), aliases and masked units left alone; then the
 * variant's services are enabled whatever the presets say. Enabling makes the WantedBy=,
 * RequiredBy=, UpheldBy= and Alias= symlinks in /etc/systemd/system and follows Also=. Links
 * already there are kept; nothing is removed for disabled units.
 */
export const systemdPresetsEffect: ScriptEffect = {
  id: ID,
  describe: 'unit enablement of systemd presets and the variant services (systemctl preset-all)',
  families: ['apk', 'rpm'],
  inits: ['systemd'],
  claims(pkg, script) {
    const lines = presetLines(script, enabledFor.get(pkg) ?? new Set());
    return lines.length === 0 ? undefined : lines;
  },
  applies({ tree, spec }) {
    return (
      spec.services.length > 0 ||
      UNIT_DIRS.some((dir) => tree.lookup(dir)?.node.kind === 'directory')
    );
  },

  async apply({ tree, packages, spec }) {
    const index = new FolderIndex(tree);
    const notes: string[] = [];
    const { rules, files } = await loadRules(tree, index, notes);
    const search = new UnitSearch(tree, index, ID);
    const enabled = new Set<string>();
    const byPreset: string[] = [];
    let disabled = 0;
    let links = 0;
    for (const name of search.unitNames()) {
      const unit = parseUnitName(name);
      if (unit?.instance !== undefined && unit.instance !== '') continue;
      const found = await search.find(name);
      if (found?.kind !== 'unit' || found.alias || found.install === undefined) continue;
      const decision = decide(rules, name);
      if (decision.action === 'disable') disabled += 1;
      if (decision.action !== 'enable') continue;
      const result = await search.enable(found, decision.instances);
      notes.push(...result.problems);
      links += result.links;
      for (const unitName of result.enabled) enabled.add(unitName);
      if (result.enabled.length > 0) byPreset.push(name);
    }
    const byVariant = await enableServices(search, spec, enabled, notes);
    for (const pkg of packages) enabledFor.set(pkg, enabled);
    notes.push(
      `${files} preset files: ${byPreset.length} units enabled by preset (${byPreset.join(', ') || 'none'}), ${disabled} disabled by preset; ${links} links made`,
      `enabled for the variant: ${byVariant.join(', ') || 'none'}`,
    );
    return notes;
  },
};

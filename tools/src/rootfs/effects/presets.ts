/** systemd preset files: `enable PATTERN [INSTANCE…]`, `disable PATTERN`, `ignore PATTERN`. */
import { instanceName, isTemplate, parseUnitName } from './unit-files.ts';

export interface PresetRule {
  readonly action: 'enable' | 'disable' | 'ignore';
  readonly pattern: string;
  readonly instances: readonly string[];
  /** `file:line`, for notes. */
  readonly where: string;
}

export type PresetDecision =
  | { readonly action: 'enable'; readonly instances?: readonly string[]; readonly rule?: string }
  | { readonly action: 'disable' | 'ignore'; readonly rule: string };

/** fnmatch(3) without flags but FNM_NOESCAPE: `*`, `?` and `[…]` (with `!`/`^` and ranges). */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let at = 0; at < pattern.length; at += 1) {
    const char = pattern[at] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      let end = at + 1;
      if (pattern[end] === '!' || pattern[end] === '^') end += 1;
      if (pattern[end] === ']') end += 1;
      while (end < pattern.length && pattern[end] !== ']') end += 1;
      if (end >= pattern.length) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(at + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      source += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      at = end;
    } else source += char.replace(/[.+^${}()|\\\]]/g, (m) => `\\${m}`);
  }
  return new RegExp(`^${source}$`, 's');
}

export function parsePresets(text: string, file: string, notes: string[]): PresetRule[] {
  return text.split('\n').flatMap((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return [];
    const [action = '', pattern, ...instances] = line.split(/\s+/);
    const where = `${file}:${index + 1}`;
    if (pattern === undefined || !['enable', 'disable', 'ignore'].includes(action)) {
      notes.push(`${where}: ${JSON.stringify(line)} is not a preset rule; ignored`);
      return [];
    }
    const kind = action as PresetRule['action'];
    return [{ action: kind, pattern, instances: kind === 'enable' ? instances : [], where }];
  });
}

/**
 * The first rule that matches `name` decides: its pattern matches the name, or (for a
 * template) the rule names exactly this template with instances. No rule: enable.
 */
export function decide(rules: readonly PresetRule[], name: string): PresetDecision {
  const unit = parseUnitName(name);
  for (const rule of rules) {
    const withInstances =
      rule.instances.length > 0 && unit !== undefined && isTemplate(unit) && rule.pattern === name;
    if (withInstances) {
      const instances = rule.instances.map((instance) => instanceName(unit, instance));
      return { action: 'enable', instances, rule: rule.where };
    }
    if (globToRegExp(rule.pattern).test(name)) {
      return rule.action === 'enable'
        ? { action: 'enable', rule: rule.where }
        : { action: rule.action, rule: rule.where };
    }
  }
  return { action: 'enable' };
}

import type { PackageFamily } from '@levitate/distro-spec';
import type { VerifiedPackage } from '../../backend/types.ts';
import type { PackageScript } from '../../packages/model.ts';
import type { ImageTree } from '../image-tree.ts';
import { InternalError } from '../../core/errors.ts';
import { apkAccountsEffect } from './apk-accounts.ts';
import { busyboxAppletsEffect } from './busybox-applets.ts';
import { ldSoCacheEffect } from './ld-so-cache.ts';
import { kernelModuleIndexEffect } from './kernel-module-index.ts';
import { machineIdEffect } from './machine-id.ts';
import { openrcRunlevelsEffect } from './openrc-runlevels.ts';
import { scriptLines } from './script-lines.ts';
import { systemdPresetsEffect } from './systemd-presets.ts';
import { sysusersEffect } from './sysusers.ts';
import type { EffectContext, EffectSpec, ScriptClaim, ScriptEffect } from './types.ts';

/**
 * Every effect, in the order they run. The account effects come first (busybox adduser for
 * APK, sysusers.d for systemd): the owners packages named are resolved right after them (see
 * runScriptEffects' `afterAccounts`). Then what builds on the installed files: busybox applet
 * links and OpenRC runlevels for Alpine; for systemd an empty machine-id, the unit enablement
 * of presets and the variant's services; and the glibc ld.so.cache.
 */
export const SCRIPT_EFFECTS: readonly ScriptEffect[] = [
  apkAccountsEffect,
  sysusersEffect,
  busyboxAppletsEffect,
  openrcRunlevelsEffect,
  machineIdEffect,
  systemdPresetsEffect,
  ldSoCacheEffect,
  kernelModuleIndexEffect,
];

/** Script phases that run when a package is installed into an empty root. */
const INSTALL_PHASES: Readonly<Record<PackageFamily, readonly string[]>> = {
  apk: ['pre-install', 'post-install', 'trigger'],
  rpm: [
    'pretrans',
    'pre-install',
    'post-install',
    'posttrans',
    'trigger-in',
    'trigger-prein',
    'file-trigger-in',
    'transfile-trigger-in',
  ],
};

export type ScriptStatus = 'covered' | 'partly-covered' | 'not-run' | 'not-applicable' | 'empty';

export interface ScriptReport {
  readonly package: string;
  readonly phase: string;
  readonly status: ScriptStatus;
  /** Effects that stand in for the script or some of its lines. */
  readonly coveredBy: readonly string[];
}

export interface EffectOutcome {
  readonly id: string;
  readonly describe: string;
  readonly applied: boolean;
  readonly notes: readonly string[];
}

export interface ScriptEffectReport {
  readonly effects: readonly EffectOutcome[];
  /** Every script of every package. */
  readonly scripts: readonly ScriptReport[];
  /** Install-time scripts that no effect (or only part of one) stood in for. */
  readonly scriptsNotRun: readonly { readonly package: string; readonly phase: string }[];
}

export function effectsFor(
  spec: EffectSpec,
  registry: readonly ScriptEffect[] = SCRIPT_EFFECTS,
): ScriptEffect[] {
  return registry.filter(
    (effect) =>
      effect.families.includes(spec.family) &&
      (effect.inits === undefined || effect.inits.includes(spec.init)),
  );
}

function statusOf(script: PackageScript, claims: readonly ScriptClaim[]): ScriptStatus {
  const lines = scriptLines(script.body).map(({ index }) => index);
  const runsProgram = script.body.trim() === '' && script.interpreter !== undefined;
  if (claims.includes('whole')) return 'covered';
  if (lines.length === 0 && !runsProgram) return 'empty';
  const claimed = new Set(claims.flatMap((claim) => (claim === 'whole' ? [] : claim)));
  const covered = lines.filter((index) => claimed.has(index)).length;
  if (!runsProgram && covered === lines.length) return 'covered';
  return covered > 0 ? 'partly-covered' : 'not-run';
}

function reportScript(
  pkg: VerifiedPackage,
  script: PackageScript,
  family: PackageFamily,
  applied: readonly ScriptEffect[],
): ScriptReport {
  const base = { package: pkg.package.name, phase: script.phase };
  if (!INSTALL_PHASES[family].includes(script.phase))
    return { ...base, status: 'not-applicable', coveredBy: [] };
  const claims = applied.flatMap((effect) => {
    const claim = effect.claims(pkg, script);
    return claim === undefined ? [] : [{ id: effect.id, claim }];
  });
  return {
    ...base,
    status: statusOf(
      script,
      claims.map(({ claim }) => claim),
    ),
    coveredBy: claims.map(({ id }) => id),
  };
}

export interface RunEffectsOptions {
  /**
   * Runs once the account effects are done and before the others, whether or not any account
   * effect applied: the place to resolve owner names and lay the overlays.
   */
  readonly afterAccounts?: () => Promise<void>;
}

/**
 * Runs the effects that fit the variant, in registry order, and reports every package script:
 * covered by an effect, or NOT run. Nothing from a package is ever executed.
 */
export async function runScriptEffects(
  tree: ImageTree,
  packages: readonly VerifiedPackage[],
  spec: EffectSpec,
  registry: readonly ScriptEffect[] = SCRIPT_EFFECTS,
  options: RunEffectsOptions = {},
): Promise<ScriptEffectReport> {
  const context: EffectContext = { tree, packages, spec };
  const effects: EffectOutcome[] = [];
  const applied: ScriptEffect[] = [];
  const chosen = effectsFor(spec, registry);
  const firstOther = chosen.findIndex((effect) => effect.accounts !== true);
  if (firstOther >= 0 && chosen.slice(firstOther).some((effect) => effect.accounts === true)) {
    throw new InternalError('account effects must come before every other effect');
  }
  let accountsDone = false;
  for (const effect of chosen) {
    if (!accountsDone && effect.accounts !== true) {
      accountsDone = true;
      await options.afterAccounts?.();
    }
    const applies = effect.applies(context);
    const notes = applies ? await effect.apply(context) : [];
    if (applies) applied.push(effect);
    effects.push({ id: effect.id, describe: effect.describe, applied: applies, notes });
  }
  if (!accountsDone) await options.afterAccounts?.();
  const scripts = packages.flatMap((pkg) =>
    pkg.scripts.map((script) => reportScript(pkg, script, spec.family, applied)),
  );
  const scriptsNotRun = scripts
    .filter((script) => script.status === 'not-run' || script.status === 'partly-covered')
    .map(({ package: name, phase }) => ({ package: name, phase }));
  return { effects, scripts, scriptsNotRun };
}

import type { PackageFamily, VariantSpec } from '@levitate/distro-spec';
import type { VerifiedPackage } from '../../backend/types.ts';
import type { PackageScript } from '../../packages/model.ts';
import type { ImageTree } from '../image-tree.ts';

/** The parts of a variant that script effects read. */
export type EffectSpec = Pick<VariantSpec, 'id' | 'family' | 'init' | 'services'>;

export interface EffectContext {
  readonly tree: ImageTree;
  /** In install order. */
  readonly packages: readonly VerifiedPackage[];
  readonly spec: EffectSpec;
}

/** The whole script, or the (zero-based) numbers of the lines an effect stands in for. */
export type ScriptClaim = 'whole' | readonly number[];

/**
 * What an install script would have done to the image, done in TypeScript instead: no package
 * code runs at build time. An effect claims the scripts (or script lines) it stands in for, so
 * that the report can say which scripts were covered and which were not run at all.
 */
export interface ScriptEffect {
  readonly id: string;
  /** One line for the build report. */
  readonly describe: string;
  readonly families: readonly PackageFamily[];
  /** Limits the effect to variants with one of these init systems. */
  readonly inits?: readonly VariantSpec['init'][];
  /**
   * Creates users and groups: runs before the owners packages named are resolved (and before
   * the variant's overlays), while every other effect runs after.
   */
  readonly accounts?: boolean;
  claims(pkg: VerifiedPackage, script: PackageScript): ScriptClaim | undefined;
  applies(context: EffectContext): boolean;
  /** Changes the tree; resolves to notes for the report. */
  apply(context: EffectContext): Promise<readonly string[]>;
}

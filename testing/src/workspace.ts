import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@levitate/tools';

/** Builder executables as a user runs them. */
export const BUILDER_BINS = {
  leviso: join(WORKSPACE_ROOT, 'leviso', 'bin', 'leviso.js'),
  acorn: join(WORKSPACE_ROOT, 'acorn', 'bin', 'acorn.js'),
  iuppiter: join(WORKSPACE_ROOT, 'iuppiter', 'bin', 'iuppiter.js'),
} as const;

export type BuilderName = keyof typeof BUILDER_BINS;

export interface Builder {
  readonly variant: string;
  /** The command that builds the ISO; the builder's nx target of the same name runs it. */
  readonly buildVerb: string;
}

/** Each builder's variant and build command. */
export const BUILDERS: Readonly<Record<BuilderName, Builder>> = {
  leviso: { variant: 'levitate', buildVerb: 'build' },
  acorn: { variant: 'acorn', buildVerb: 'iso' },
  iuppiter: { variant: 'iuppiter', buildVerb: 'iso' },
};

/** The builder that makes `variant`. */
export function builderOf(variant: string): BuilderName {
  const names = Object.keys(BUILDERS) as BuilderName[];
  const found = names.find((name) => BUILDERS[name].variant === variant);
  if (found === undefined) throw new Error(`no builder makes the variant "${variant}"`);
  return found;
}

/** The nx task that builds the builder's ISO into dist/, as `project:target`. */
export function nxBuildTarget(builder: BuilderName): string {
  return `${builder}:${BUILDERS[builder].buildVerb}`;
}

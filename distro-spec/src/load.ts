import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { SpecError } from './errors.ts';
import { readChain } from './chain.ts';
import { findInconsistencies } from './consistency.ts';
import { layerSchema } from './layer.ts';
import { mergeLayer } from './merge.ts';
import type { MergeProblem } from './merge.ts';
import { locatedProblem, problemsFromIssues } from './problems.ts';
import { resolveSpec } from './resolve.ts';
import { resolveSecureBoot } from './secure-boot.ts';
import { definitionSchema } from './schema.ts';
import type { Overlay, VariantSpec } from './spec.ts';
import type { SpecProblem, VariantSource } from './source.ts';
import type { ResolveOptions } from './resolve.ts';

/**
 * Loads a variant by name (`acorn`) or file path, validates every file of its `extends`
 * chain and the merged result, and returns the frozen spec. All problems are thrown together
 * as one SpecError.
 */
export async function loadVariant(ref: string, options: ResolveOptions = {}): Promise<VariantSpec> {
  const chain = await readChain(ref);
  const variant = variantName(chain);
  const layers = chain.map((source) => source.data);

  const layerProblems: SpecProblem[] = [];
  const wellFormed = chain.filter((source, index) => {
    const result = layerSchema.safeParse(layers[index], { reportInput: true });
    if (!result.success) layerProblems.push(...problemsFromIssues(result.error.issues, [source]));
    return result.success;
  });
  const overlays = collectOverlays(chain, new Set(wellFormed), layerProblems);
  if (layerProblems.length > 0) throw new SpecError(variant, layerProblems);

  const mergeProblems: SpecProblem[] = [];
  const merged = chain.reduceRight<unknown>((parent, source, index) => {
    const problems: MergeProblem[] = [];
    const result = mergeLayer(parent, withoutInheritedFields(layers[index]), problems);
    for (const problem of problems) {
      mergeProblems.push(locatedProblem([source], problem.path, problem.message));
    }
    return result;
  }, {});
  if (mergeProblems.length > 0) throw new SpecError(variant, mergeProblems);
  const parsed = definitionSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) throw new SpecError(variant, problemsFromIssues(parsed.error.issues, chain));
  const inconsistencies = findInconsistencies(parsed.data).map((item) =>
    locatedProblem(chain, item.path, item.message),
  );
  if (inconsistencies.length > 0) throw new SpecError(variant, inconsistencies);

  const secureBoot = resolveSecureBoot(
    parsed.data.secureBoot,
    chain,
    parsed.data.id,
    options.secureBoot,
  );
  return resolveSpec(parsed.data, {
    variant,
    files: chain.map((source) => source.file).reverse(),
    overlays,
    secureBoot,
    options,
  });
}

/** `extends` is not data, and overlays stack instead of replacing each other. */
function withoutInheritedFields(layer: unknown): unknown {
  if (typeof layer !== 'object' || layer === null) return layer;
  const { extends: _parent, overlay: _overlay, ...rest } = layer as Record<string, unknown>;
  return rest;
}

/**
 * Each file's overlay, root first, with its folder resolved against that file. Overlays do not
 * merge, so an overlay must be complete in its file (a `dir`, permissions as a plain list);
 * files the layer schema refused are only reported once, by it.
 */
function collectOverlays(
  chain: readonly VariantSource[],
  wellFormed: ReadonlySet<VariantSource>,
  problems: SpecProblem[],
): Overlay[] {
  const overlays: Overlay[] = [];
  for (const source of [...chain].reverse()) {
    const read = overlayOf(source);
    if (read.problems.length > 0 && wellFormed.has(source)) problems.push(...read.problems);
    const overlay = read.overlay;
    if (!overlay) continue;
    const dir = resolve(dirname(source.file), overlay.dir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push(
        locatedProblem([source], ['overlay', 'dir'], `overlay folder ${dir} does not exist`),
      );
      continue;
    }
    overlays.push({
      dir,
      permissions: (overlay.permissions ?? []).map((entry) => ({
        path: entry.path,
        mode: Number.parseInt(entry.mode, 8),
        owner: entry.owner ?? 'root',
        group: entry.group ?? 'root',
      })),
    });
  }
  return overlays;
}

interface OverlayLayer {
  dir: string;
  permissions?: { path: string; mode: string; owner?: string; group?: string }[];
}

/** The overlay a file declares, or why it is not a complete overlay. */
function overlayOf(source: VariantSource): {
  overlay?: OverlayLayer | undefined;
  problems: SpecProblem[];
} {
  const data = source.data as { overlay?: unknown } | null | undefined;
  const raw = data?.overlay as { permissions?: unknown } | undefined;
  const permissions = raw?.permissions;
  if (typeof permissions === 'object' && permissions !== null && !Array.isArray(permissions)) {
    const message =
      'overlays do not inherit from each other, so there is nothing to add to or remove from: list the permissions of this overlay';
    return { problems: [locatedProblem([source], ['overlay', 'permissions'], message)] };
  }
  const parsed = definitionSchema.shape.overlay.safeParse(raw, { reportInput: true });
  if (parsed.success) return { overlay: parsed.data as OverlayLayer | undefined, problems: [] };
  const issues = parsed.error.issues.map((issue) => ({
    ...issue,
    path: ['overlay', ...issue.path],
  }));
  return { problems: problemsFromIssues(issues, [source]) };
}

function variantName(chain: readonly VariantSource[]): string {
  const leaf = chain[0]?.file ?? 'variant';
  const base = basename(leaf).replace(/\.ya?ml$/, '');
  return base === 'variant' ? basename(dirname(leaf)) : base;
}

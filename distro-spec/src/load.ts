import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { SpecError } from './errors.ts';
import { readChain } from './chain.ts';
import { findInconsistencies } from './consistency.ts';
import { layerSchema } from './layer.ts';
import { mergeLayer } from './merge.ts';
import { locatedProblem, problemsFromIssues } from './problems.ts';
import { resolveSpec } from './resolve.ts';
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
  const layers = chain.map((source) => source.doc.toJS() as unknown);

  const layerProblems = chain.flatMap((source, index) => {
    const result = layerSchema.safeParse(layers[index], { reportInput: true });
    return result.success ? [] : problemsFromIssues(result.error.issues, [source]);
  });
  const overlays = collectOverlays(chain, layerProblems);
  if (layerProblems.length > 0) throw new SpecError(variant, layerProblems);

  const merged = layers.reduceRight<unknown>(
    (parent, layer) => mergeLayer(parent, withoutInheritedFields(layer)),
    {},
  );
  const parsed = definitionSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) throw new SpecError(variant, problemsFromIssues(parsed.error.issues, chain));
  const inconsistencies = findInconsistencies(parsed.data).map((item) =>
    locatedProblem(chain, item.path, item.message),
  );
  if (inconsistencies.length > 0) throw new SpecError(variant, inconsistencies);

  return resolveSpec(parsed.data, {
    variant,
    files: chain.map((source) => source.file).reverse(),
    overlays,
    options,
  });
}

/** `extends` is not data, and overlays stack instead of replacing each other. */
function withoutInheritedFields(layer: unknown): unknown {
  if (typeof layer !== 'object' || layer === null) return layer;
  const { extends: _parent, overlay: _overlay, ...rest } = layer as Record<string, unknown>;
  return rest;
}

/** Each file's overlay, root first, with its folder resolved against that file. */
function collectOverlays(chain: readonly VariantSource[], problems: SpecProblem[]): Overlay[] {
  const overlays: Overlay[] = [];
  for (const source of [...chain].reverse()) {
    const overlay = overlayOf(source);
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

/** The overlay a file declares, once the layer schema has accepted its shape. */
function overlayOf(source: VariantSource): OverlayLayer | undefined {
  const data = source.doc.toJS() as { overlay?: unknown } | null;
  const parsed = definitionSchema.shape.overlay.safeParse(data?.overlay);
  return parsed.success ? (parsed.data as OverlayLayer | undefined) : undefined;
}

function variantName(chain: readonly VariantSource[]): string {
  const leaf = chain[0]?.file ?? 'variant';
  const base = basename(leaf).replace(/\.ya?ml$/, '');
  return base === 'variant' ? basename(dirname(leaf)) : base;
}

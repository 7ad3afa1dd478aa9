import { resolve } from 'node:path';
import { VARIANTS_DIR } from './chain.ts';
import { variantJsonSchema } from './layer.ts';

/** The committed JSON Schema that variant files point editors at. */
export const SCHEMA_FILE = resolve(VARIANTS_DIR, '..', 'schema', 'variant.schema.json');

export function renderVariantJsonSchema(): string {
  const schema = {
    $id: 'https://levitateos.org/schema/variant.schema.json',
    title: 'Variant definition',
    description:
      'A LevitateOS-family variant file: a complete definition, or a layer that extends another variant.',
    ...variantJsonSchema(),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

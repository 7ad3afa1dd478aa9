import { z } from 'zod';
import { definitionSchema } from './schema.ts';

/**
 * A variant file is a layer: it may leave out anything its parent (`extends`) provides.
 * The layer schema is derived from the definition schema: every field optional, defaults
 * dropped (so a child never resets its parent's value), and every list may instead be a
 * delta `{ add: [...], remove: [...] }` applied to the parent's list.
 */
export function layerOf(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) {
    return layerOf(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      shape[key] = layerOf(field).optional();
    }
    return z.strictObject(shape);
  }
  if (schema instanceof z.ZodArray) {
    const list = schema as z.ZodArray<z.ZodType>;
    const plain = z.array(list.element);
    const delta = z.strictObject({
      add: plain.optional().describe('Items appended to the inherited list.'),
      remove: z
        .array(z.string().min(1))
        .optional()
        .describe(
          'Items dropped from the inherited list, by value or by name (label for partitions, path for permissions); each must be in the inherited list.',
        ),
    });
    return z.union([plain, delta]);
  }
  if (schema instanceof z.ZodRecord) {
    const record = schema as z.ZodRecord<z.core.$ZodRecordKey, z.ZodType>;
    return z.record(record.keyType, layerOf(record.valueType));
  }
  return schema;
}

export const layerSchema = (layerOf(definitionSchema) as z.ZodObject).extend({
  extends: z
    .string()
    .min(1)
    .optional()
    .describe('Variant this one builds on: a name in the variants folder or a path to a file.'),
});

/** JSON Schema for editors: a file is either a complete definition or a layer that extends one. */
export function variantJsonSchema(): Record<string, unknown> {
  const file = z.union([definitionSchema, layerSchema.extend({ extends: z.string().min(1) })]);
  return z.toJSONSchema(file, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

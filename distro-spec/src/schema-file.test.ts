import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, renderVariantJsonSchema } from './schema-file.ts';

describe('variant JSON Schema', () => {
  it('is committed as generated (regenerate with `nx run distro-spec:schema`)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(renderVariantJsonSchema());
  });

  it('describes both complete definitions and extending layers', () => {
    const schema = JSON.parse(renderVariantJsonSchema()) as { anyOf: { required?: string[] }[] };
    expect(schema.anyOf).toHaveLength(2);
    expect(schema.anyOf[0]?.required).toEqual(
      expect.arrayContaining(['id', 'family', 'repositories']),
    );
    expect(schema.anyOf[1]?.required).toEqual(['extends']);
  });
});

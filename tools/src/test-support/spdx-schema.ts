import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

/** The SPDX 2.3 JSON schema, vendored with its licence (see test-data/spdx-2.3/SOURCE.md). */
const SCHEMA = new URL('../sbom/test-data/spdx-2.3/spdx-schema.json', import.meta.url);

let validate: ValidateFunction | undefined;

/** What is wrong with an SPDX 2.3 JSON document, by the schema; empty when it is valid. */
export function spdxSchemaProblems(text: string): string[] {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(SCHEMA, 'utf8')) as object,
  );
  if (validate(JSON.parse(text))) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
  );
}

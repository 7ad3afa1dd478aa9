import { writeFile, rename } from 'node:fs/promises';
import { SCHEMA_FILE, renderVariantJsonSchema } from '../src/schema-file.ts';

const temp = `${SCHEMA_FILE}.tmp`;
await writeFile(temp, renderVariantJsonSchema());
await rename(temp, SCHEMA_FILE);
console.error(`wrote ${SCHEMA_FILE}`);

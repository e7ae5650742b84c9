/** Writes schema/spaceport.schema.json from the zod schema, so editors complete spaceport.yaml. */
import { writeFileSync } from 'node:fs';
import { renderJsonSchema } from '../src/config/json-schema.js';

const out = new URL('../schema/spaceport.schema.json', import.meta.url);
writeFileSync(out, renderJsonSchema());
console.log(`wrote ${out.pathname}`);

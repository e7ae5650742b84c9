/** The JSON Schema of spaceport.yaml, generated from the zod schema (shipped as schema/spaceport.schema.json). */
import { z } from 'zod';
import { spaceSchema } from './schema.js';

export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(spaceSchema, { io: 'input', unrepresentable: 'any', target: 'draft-7' });
  const doc = {
    $id: 'https://spaceport.dev/schema/spaceport.schema.json',
    title: 'spaceport.yaml',
    ...schema,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * Finds gateway plugins by name: each plugin is a folder `plugins/<name>/` with `schema.ts` (its config
 * schema) and `handler.ts` (its factory). Adding a plugin edits nothing here.
 */
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';

const here = dirname(fileURLToPath(import.meta.url));
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** Names of every plugin shipped in this folder. */
export function listPlugins(): string[] {
  return readdirSync(here, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(here, d.name, `schema${ext}`)))
    .map((d) => d.name)
    .sort();
}

/** The plugin's config schema, or undefined when no plugin has that name. */
export async function loadPluginSchema(name: string): Promise<z.ZodType | undefined> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  const file = join(here, name, `schema${ext}`);
  if (!existsSync(file)) return undefined;
  const mod = (await import(new URL(`./${name}/schema${ext}`, import.meta.url).href)) as { schema: z.ZodType };
  return mod.schema;
}

/**
 * Finds gateway plugins by name: each plugin is a folder `plugins/<name>/` with `schema.ts` (its config
 * schema) and `handler.ts` (its factory). Adding a plugin edits nothing here.
 */
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { PluginFactory } from './types.js';

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

export interface LoadedPlugin {
  schema: z.ZodType;
  create: PluginFactory;
}

/** Every plugin's schema and factory, loaded once at worker start so config swaps stay synchronous. */
export async function loadAllPlugins(): Promise<Map<string, LoadedPlugin>> {
  const out = new Map<string, LoadedPlugin>();
  for (const name of listPlugins()) {
    const schema = await loadPluginSchema(name);
    const mod = (await import(new URL(`./${name}/handler${ext}`, import.meta.url).href)) as { create: PluginFactory };
    if (schema && typeof mod.create === 'function') out.set(name, { schema, create: mod.create });
  }
  return out;
}

/** The `-a APP` rule: required when the space has several apps; the only app when it has one. */
import { call } from './client.js';
import { CliError } from './errors.js';
import type { SpacePaths } from './space.js';

export async function resolveApp(space: SpacePaths, app: string | undefined): Promise<string> {
  if (app) return app;
  const status = await call<{ apps: Record<string, unknown> }>(space, 'GET', '/v1/status');
  const names = Object.keys(status.apps);
  if (names.length === 1) return names[0]!;
  throw new CliError(`this space has ${names.length} apps; name one with -a APP (${names.join(', ') || 'none'})`);
}

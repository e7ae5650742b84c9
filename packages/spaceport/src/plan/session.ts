/**
 * What plan, apply and destroy share on the CLI side: the space (config validated, every diagnostic shown),
 * its state, the clients of the control and admin APIs, and the providers. Nothing here runs in the
 * control plane: the CLI plans and applies through the APIs.
 */
import type { Space } from '../config/load.js';
import { StateStore } from '../state/store.js';
import { CliError } from '../cli/errors.js';
import { call } from '../cli/client.js';
import { locateSpace, type SpacePaths } from '../cli/space.js';
import { adminClient } from './admin-client.js';
import { makePlan, type Plan, type PlanOptions } from './plan.js';
import { spaceProviders, type ProviderSet } from './providers/index.js';
import type { Call } from './providers/clients.js';

export interface Session {
  paths: SpacePaths;
  space: Space;
  store: StateStore;
  control: Call;
  set: ProviderSet;
}

/** Loads the config (printing its diagnostics; errors stop here) and connects to the running space. */
export async function openSession(file?: string): Promise<Session> {
  const paths = locateSpace(file);
  const space = await loadConfig(paths.file);
  const control: Call = (method, path, body) => call(paths, method, path, body);
  const status = await control<{ services?: { gateway?: { admin?: string | null } } }>('GET', '/v1/status');
  const adminUrl = status.services?.gateway?.admin ?? undefined;
  const admin = adminUrl ? adminClient(adminUrl, space.stateDir) : undefined;
  const store = new StateStore(space.stateDir);
  return { paths, space, store, control, set: spaceProviders({ control, admin }) };
}

export async function loadConfig(file: string): Promise<Space> {
  const { loadSpace } = await import('../config/load.js');
  const { formatDiagnostic } = await import('../config/diagnostics.js');
  const { space, diagnostics } = await loadSpace(file);
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (!space) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    throw new CliError(`${n} error${n === 1 ? '' : 's'} in ${file}; fix ${n === 1 ? 'it' : 'them'} and run again`);
  }
  return space;
}

/** Refreshes and plans the session's space against its state. */
export function planSession(s: Session, opts: Omit<PlanOptions, 'moved'> = {}): Promise<Plan> {
  s.set.reset();
  return makePlan(s.set.providers, s.space, s.store.refresh().resources, { ...opts, moved: s.space.config.moved });
}

/** `30s`, `500ms`, `2m` or seconds → milliseconds. */
export function parseTimeout(v: string | undefined, def: number): number {
  if (v === undefined) return def;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) throw new CliError(`--lock-timeout ${v}: write it like 30s, 500ms or 2m`);
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

/**
 * What plan, apply and destroy share on the CLI side: the space (config validated, every diagnostic shown),
 * its state, the clients of the control and admin APIs, and the providers. Nothing here runs in the
 * control plane: the CLI plans and applies through the APIs.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Space } from '../config/load.js';
import { cachedSpace, rememberSpace } from './space-cache.js';
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
  // One status per session: the session, the add-on provider and outputs all read it.
  let status: Promise<unknown> | undefined;
  const control: Call = <T>(method: string, path: string, body?: unknown) => {
    if (method === 'GET' && path === '/v1/status') return (status ??= call(paths, method, path)) as Promise<T>;
    return call<T>(paths, method, path, body);
  };
  const st = await control<{ services?: { gateway?: { admin?: string | null } } }>('GET', '/v1/status');
  const adminUrl = st.services?.gateway?.admin ?? undefined;
  const admin = adminUrl ? adminClient(adminUrl, space.stateDir) : undefined;
  const store = new StateStore(space.stateDir);
  return { paths, space, store, control, set: spaceProviders({ control, admin, urlKey: store.read().internalApiKey }) };
}

/** The validated config: from the cache when nothing it depends on changed, else loaded (and cached). */
export async function loadConfig(file: string): Promise<Space> {
  const cached = cachedSpace(file);
  if (cached) return cached;
  const { loadSpaceFromText } = await import('../config/load.js');
  const { formatDiagnostic } = await import('../config/diagnostics.js');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const { space, diagnostics } = await loadSpaceFromText(text, file, process.env, relative(process.cwd(), file) || file);
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (!space) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    throw new CliError(`${n} error${n === 1 ? '' : 's'} in ${file}; fix ${n === 1 ? 'it' : 'them'} and run again`);
  }
  // Warnings are shown once, when the file is loaded; a cached load has nothing new to say.
  rememberSpace(space, text);
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

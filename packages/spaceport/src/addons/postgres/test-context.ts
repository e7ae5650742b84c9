/**
 * A ServiceContext for tests of the add-on on its own: the real ProcessSupervisor and StateStore, a port
 * allocator like the control plane's, and routes kept in a map so tests can call them. Not used in production.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSpaceFromText, type Space } from '../../config/load.js';
import type { ServiceContext } from '../../control/service.js';
import type { ControlHandler, ControlRequest } from '../../control/router-types.js';
import type { LogLine } from '../../runtime/log-line.js';
import { ProcessSupervisor } from '../../runtime/supervisor.js';
import { StateStore } from '../../state/store.js';

export interface TestContext {
  ctx: ServiceContext;
  sup: ProcessSupervisor;
  dir: string;
  lines: string[];
  call(method: string, path: string, opts?: { query?: Record<string, string>; body?: unknown; params?: Record<string, string> }): Promise<unknown>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A space in a fresh temp dir (0711, so the postgres user can pass when we run as root). */
export async function testSpace(yaml: string, dir = mkdtempSync(join(tmpdir(), 'sp-pg-'))): Promise<Space> {
  chmodSync(dir, 0o711);
  const file = join(dir, 'spaceport.yaml');
  writeFileSync(file, yaml);
  // Every app's root must exist (validation checks it): make each app's directory.
  const apps = (parse(yaml) as { apps?: Record<string, { root?: string } | null> }).apps ?? {};
  for (const [name, app] of Object.entries(apps)) mkdirSync(join(dir, app?.root ?? name), { recursive: true });
  const { space, diagnostics } = await loadSpaceFromText(yaml, file);
  if (!space) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return space;
}

export function testContext(space: Space): TestContext {
  const lines: string[] = [];
  const state = new StateStore(space.stateDir);
  const log = { write: (l: Omit<LogLine, 'time'>) => void lines.push(`${l.source}[${l.app}.${l.dyno}]: ${l.message}`) };
  const sup = new ProcessSupervisor({ log, state, backoff: { baseMs: 200, maxMs: 1000, resetAfterMs: 60_000 } });
  const routes = new Map<string, ControlHandler>();
  const ctx: ServiceContext = {
    space,
    state,
    log,
    supervisor: sup,
    async port(key) {
      const have = state.read().ports[key];
      if (have) return have;
      const p = await freePort();
      state.update((s) => void (s.ports[key] = p));
      return p;
    },
    internalApiKey: 'test-key',
    control: { add: (method, path, handler) => void routes.set(`${method} ${path}`, handler) },
    dynos: () => [],
    onDynos: () => {},
  };
  const call = async (method: string, path: string, opts: { query?: Record<string, string>; body?: unknown; params?: Record<string, string> } = {}) => {
    const h = routes.get(`${method} ${path}`);
    if (!h) throw new Error(`no route ${method} ${path}`);
    const req: ControlRequest = { method, path, params: opts.params ?? {}, query: new URLSearchParams(opts.query ?? {}), body: opts.body, raw: undefined as never };
    return h(req, undefined as never);
  };
  return { ctx, sup, dir: space.dir, lines, call };
}

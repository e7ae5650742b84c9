/**
 * What `up` prints once everything is up: a short box with the space's URLs. The URLs are the file's
 * `outputs:` resolved against the running space (and recorded, so `spaceport output` shows them too);
 * a file without outputs gets the gateway, each public app's default route and each embedded broker instead.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { findConfigFile } from '../config/find-file.js';
import type { Space } from '../config/load.js';
import { recordOutputs, type StatusForOutputs } from '../plan/outputs.js';
import { StateStore } from '../state/store.js';

export interface UpStatus extends StatusForOutputs {
  apps?: Record<string, { dynos?: Record<string, { up: number; total: number }> }>;
}

/** The box as text lines (no trailing newline); `colour` bolds the title and underlines nothing else. */
export function upSummary(space: Space, status: UpStatus, colour: boolean): { text: string; problems: string[] } {
  const { outputs, problems } = recordOutputs(space, new StateStore(space.stateDir), status);
  const rows: [string, string][] = [];
  for (const [name, o] of Object.entries(outputs)) rows.push([name, o.sensitive ? '(sensitive: spaceport output ' + name + ')' : o.value]);
  const gateway = status.services?.gateway?.listen ?? undefined;
  if (rows.length === 0 && gateway) {
    rows.push(['gateway', gateway]);
    const port = new URL(gateway).port;
    for (const [name, app] of Object.entries(space.config.apps)) {
      if (!app.internal && 'web' in app.processes) rows.push([name, `http://${name}.localhost${port ? `:${port}` : ''}/`]);
    }
    // The file's own routes a browser can open (any host, a plain path, GET): wasabi's /wasabi, not only `gateway`.
    for (const [sname, svc] of Object.entries(space.config.gateway.services)) {
      const routes = Object.entries(svc.routes);
      for (const [rname, r] of routes) {
        const path = r.paths.find((p) => !p.startsWith('~'));
        if (!path || r.hosts.length || (r.methods.length && !r.methods.includes('GET'))) continue;
        rows.push([routes.length === 1 ? sname : `${sname}.${rname}`, `${gateway.replace(/\/$/, '')}${path}`]);
      }
    }
    // An embedded broker's address, for Kafka clients on this machine: its port may not be the default 9092.
    const services = (status.services ?? {}) as Record<string, { type?: unknown; embedded?: unknown; url?: unknown } | undefined>;
    for (const name of Object.keys(space.config.addons)) {
      const s = services[`addons.${name}`];
      if (s?.type === 'kafka' && s.embedded === true && typeof s.url === 'string') rows.push([name, s.url]);
    }
  }
  const dynos = Object.values(status.apps ?? {}).flatMap((a) => Object.values(a.dynos ?? {}));
  const up = dynos.reduce((n, c) => n + c.up, 0);
  const addons = Object.keys(space.config.addons).length;
  const title = `Space ${space.config.name} is up: ${up} dyno${up === 1 ? '' : 's'}${addons ? `, ${addons} add-on${addons === 1 ? '' : 's'}` : ''}`;
  const width = Math.max(...rows.map(([k]) => k.length), 0);
  const body = [
    title,
    ...(rows.length ? [''] : []),
    ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
    '',
    ...cliHints(space.file),
  ];
  const inner = Math.max(...body.map((l) => l.length));
  const line = (l: string, i: number) => {
    const padded = l.padEnd(inner);
    return `│  ${colour && i === 0 ? `\x1b[1m${padded}\x1b[0m` : padded}  │`;
  };
  const text = [`╭${'─'.repeat(inner + 4)}╮`, ...body.map(line), `╰${'─'.repeat(inner + 4)}╯`].join('\n');
  return { text, problems };
}

/**
 * The commands to run next, written so that they work where the user typed `up`: `npm start` runs it from the
 * repository root with node_modules/.bin on PATH, where neither a bare `spaceport` nor the walk up to the nearest
 * spaceport.yaml finds the space. `npx` when `spaceport` is not on the user's own PATH but installed in a
 * node_modules above the user's directory; `-f` (or a directory to cd into) when the walk from the user's
 * directory (npm's INIT_CWD) would not reach this file.
 */
export function cliHints(file: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const userCwd = env.INIT_CWD || cwd;
  const own = (env.PATH ?? '').split(':').filter((d) => d && !/node_modules[\\/]\.bin$|node-gyp-bin$/.test(d));
  const onPath = own.some((d) => {
    try {
      accessSync(join(d, 'spaceport'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  // npx only where it finds the local install (walking up to a node_modules/.bin/spaceport): elsewhere it would
  // fetch whatever package is called spaceport from the registry
  const sp = onPath || !localBin(userCwd) ? 'spaceport' : 'npx spaceport';
  const line = `${sp} logs -t · ${sp} ps · ${sp} down`;
  if (findConfigFile(undefined, userCwd) === file) return [line];
  const rel = (p: string) => relative(userCwd, p) || '.';
  return [line, `(run them in ${rel(dirname(file))}, or add -f ${rel(file)})`];
}

function localBin(from: string): boolean {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', '.bin', 'spaceport'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/**
 * The CLI's client of the control API: HTTP over `.spaceport/control.sock`. Only node:http, so commands
 * that talk to a running space start fast. Errors come back as CliErrors with the server's message.
 */
import { request, type IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isStillOurs } from '../runtime/proc-stat.js';
import { displayName } from '../runtime/process-recorder.js';
import { CliError } from './errors.js';
import { reachableSocketPath, socketPathTooLong } from '../control/socket-path.js';
import type { SpacePaths } from './space.js';

/** The socket's path for connect(): relative from here when the absolute one is too long for a unix socket. */
export function socketOf(space: SpacePaths): string {
  const p = reachableSocketPath(space.socket);
  if (p === undefined) throw new CliError(socketPathTooLong(space.socket, space.dir));
  return p;
}

/** Calls a route and returns its JSON body; a `{error}` answer becomes a CliError. */
export function call<T = unknown>(space: SpacePaths, method: string, path: string, body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { socketPath: socketOf(space), method, path, headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            reject(new CliError(`the control plane answered ${res.statusCode} with a body that is not JSON`));
            return;
          }
          const err = (parsed as { error?: { message?: string } }).error;
          if ((res.statusCode ?? 500) >= 400) reject(new CliError(err?.message ?? `control API error ${res.statusCode}`));
          else resolve(parsed as T);
        });
      },
    );
    req.on('error', (e) => reject(notRunning(space, e as NodeJS.ErrnoException)));
    req.end(data);
  });
}

/** Streams an NDJSON route, calling `onItem` per line; resolves when the server ends the stream. */
export function stream(space: SpacePaths, path: string, onItem: (item: unknown) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socketOf(space), method: 'GET', path }, (res) => {
      const failed = (res.statusCode ?? 500) >= 400;
      const fail = (line: string) => {
        const item = JSON.parse(line) as { error?: { message: string } };
        reject(new CliError(item.error?.message ?? `control API error ${res.statusCode}`));
      };
      const lines = eachLine(res, (line) => {
        if (!line) return;
        if (failed) fail(line);
        else onItem(JSON.parse(line));
      });
      res.on('end', () => {
        const rest = lines.rest();
        if (failed && rest) fail(rest);
        else resolve();
      });
      res.on('error', () => resolve());
    });
    req.on('error', (e) => reject(notRunning(space, e as NodeJS.ErrnoException)));
    req.end();
  });
}

/** Calls `onLine` with each complete line of a response as it arrives; `rest()` is what follows the last newline. */
export function eachLine(res: IncomingMessage, onLine: (line: string) => void): { rest(): string } {
  let rest = '';
  res.setEncoding('utf8');
  res.on('data', (s: string) => {
    rest += s;
    let nl: number;
    while ((nl = rest.indexOf('\n')) !== -1) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      onLine(line);
    }
  });
  return { rest: () => rest };
}

function notRunning(space: SpacePaths, e: NodeJS.ErrnoException): Error {
  if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED') {
    const left = leftBehind(space);
    if (left.length) {
      // A killed control plane (SIGKILL, OOM) leaves its dynos running and holding their ports: "not running,
      // start it" alone would hide that.
      const msg = `the control plane of the space in ${space.dir} is not running (was it killed?), but ${left.length} process group(s) it started still run (${left.slice(0, 4).join(', ')}${left.length > 4 ? ', ...' : ''}); \`spaceport down\` stops them, \`spaceport up -d\` stops them and starts the space again`;
      return Object.assign(new CliError(msg), { spaceDown: true });
    }
    return Object.assign(new CliError(`the space in ${space.dir} is not running; start it with \`spaceport up -d\``), { spaceDown: true });
  }
  return new CliError(`cannot reach the control plane at ${space.socket}: ${e.message}`);
}

/** Names of the process groups recorded in state that still run (what a killed control plane left behind). */
function leftBehind(space: SpacePaths): string[] {
  try {
    const st = JSON.parse(readFileSync(join(space.stateDir, 'state.json'), 'utf8')) as { processes?: Record<string, { pid: number; startTicks: number }> };
    return Object.entries(st.processes ?? {})
      .filter(([, rec]) => typeof rec?.pid === 'number' && isStillOurs(rec))
      .map(([name]) => displayName(name));
  } catch {
    return [];
  }
}

/**
 * The anchors and helpers of bench/gateway.ts: the plain Node backend, Debian nginx (plain and adding the
 * router's headers), the raw Node TCP splice, each pinned to the proxy core, and the ports and processes they use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The backend and the proxy under test share this core; wrk and the driver run on the other. */
export const PROXY_CORE = '0';
/** Every process the bench started (killed by process group at the end). */
export const procs: ChildProcess[] = [];
export const dir = mkdtempSync(join(tmpdir(), 'sp-bench-'));

function pinned(cmd: string, args: string[], opts: { ipc?: boolean } = {}): ChildProcess {
  const child = spawn('taskset', ['-c', PROXY_CORE, cmd, ...args], { stdio: opts.ipc ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'inherit', 'inherit'], detached: true });
  procs.push(child);
  return child;
}

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

export async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} never opened`);
}

export async function backend(): Promise<{ port: number; pgid: number }> {
  const port = await freePort();
  const src = join(dir, 'backend.mjs');
  writeFileSync(src, `import http from 'node:http';
const body = JSON.stringify({ ok: true, message: 'hello from the backend' });
http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); })
  .listen(${port}, '127.0.0.1');`);
  const pgid = pinned(process.execPath, [src]).pid!;
  await waitPort(port);
  return { port, pgid };
}

/**
 * nginx as a keep-alive reverse proxy (the anchor). With `routerHeaders`, a second variant for
 * reference: nginx also adds the headers Spaceport's router must add (X-Request-Id, X-Forwarded-Proto/Port,
 * X-Request-Start, Via, X-Internal-API-Key), so the backend parses the same request behind both.
 */
export async function nginx(backendPort: number, routerHeaders = false): Promise<{ port: number; pgid: number }> {
  const port = await freePort();
  const home = join(dir, routerHeaders ? 'nginx-router-headers' : 'nginx');
  mkdirSync(home, { recursive: true });
  const conf = join(home, 'nginx.conf');
  const extra = routerHeaders
    ? `
      proxy_set_header X-Request-Id $request_id;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Port $server_port;
      proxy_set_header X-Request-Start $msec;
      proxy_set_header Via "1.1 nginx";
      proxy_set_header X-Internal-API-Key "${'k'.repeat(64)}";`
    : '';
  writeFileSync(conf, `daemon off;
master_process off;
worker_processes 1;
pid ${home}/nginx.pid;
error_log ${home}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log ${home}/nginx-access.log combined buffer=64k flush=1s;
  client_body_temp_path ${home}/body; proxy_temp_path ${home}/proxy; fastcgi_temp_path ${home}/fcgi; uwsgi_temp_path ${home}/uwsgi; scgi_temp_path ${home}/scgi;
  upstream backend { server 127.0.0.1:${backendPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;${extra}
    }
  }
}
`);
  const pgid = pinned('/usr/sbin/nginx', ['-c', conf, '-p', home]).pid!;
  await waitPort(port);
  return { port, pgid };
}

/** Upper bound for any Node proxy: raw TCP splicing, one upstream connection per client, no HTTP work at all. */
export async function nodePipe(backendPort: number): Promise<{ port: number; pgid: number }> {
  const port = await freePort();
  const src = join(dir, 'pipe.mjs');
  writeFileSync(src, `import net from 'node:net';
net.createServer((c) => { const u = net.connect(${backendPort}, '127.0.0.1'); c.pipe(u); u.pipe(c); c.on('error', () => u.destroy()); u.on('error', () => c.destroy()); c.on('close', () => u.destroy()); })
  .listen(${port}, '127.0.0.1');`);
  const pgid = pinned(process.execPath, [src]).pid!;
  await waitPort(port);
  return { port, pgid };
}

/** The least JavaScript doing the gateway's visible work (bench/gateway-minimal-proxy.mjs), forked with IPC for its log lines. */
export async function minimalProxy(backendPort: number): Promise<{ port: number; pgid: number }> {
  const port = await freePort();
  const child = pinned(process.execPath, [fileURLToPath(new URL('./gateway-minimal-proxy.mjs', import.meta.url)), String(port), String(backendPort)], { ipc: true });
  child.on('message', () => undefined); // its log batches: received and dropped, as the driver does the gateway's
  await waitPort(port);
  return { port, pgid: child.pid! };
}

export function kill(p: ChildProcess): void {
  try {
    process.kill(-p.pid!, 'SIGKILL');
  } catch {
    /* gone */
  }
}

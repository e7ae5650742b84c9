/**
 * Reference for bench/gateway.ts (`node_minimal_http_proxy`): the least JavaScript that does the gateway's
 * visible work for the bench's request, written for that request alone. It checks the key, counts the rate
 * limits and adds their 7 response headers, adds the 10 upstream headers, and batches a router log line per
 * request to the parent every 100 ms. It reads upstream with net's `onread` into one buffer and writes through
 * the socket handle, as the gateway does. One upstream connection per client connection (no pool, no routing,
 * no plugins, no timeouts, no errors handled), GET without a body, Content-Length responses only: a floor for
 * "Node doing this work", not a proxy anyone should run.
 * Run: node bench/gateway-minimal-proxy.mjs LISTEN_PORT BACKEND_PORT (forked with IPC by the bench).
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';

const [listenPort, backendPort] = process.argv.slice(2).map(Number);
const KEY = 'bench-key-0001';
const INTERNAL = 'k'.repeat(64);
let logs = [];
setInterval(() => {
  if (logs.length && process.send) {
    process.send({ type: 'logs', text: logs.join('\n') + '\n' });
    logs = [];
  }
}, 100).unref();
const counters = new Map();
let seq = 0;
const idBase = randomUUID().slice(0, 24);

const RB = Buffer.allocUnsafe(65536);
function direct(sock, data) {
  if (sock._handle && !sock.connecting && sock.writableLength === 0) sock._writeGeneric(false, data, 'latin1', (sock._wcb ??= (e) => e && sock.destroy(e)));
  else sock.write(data, 'latin1');
}
net
  .createServer({ noDelay: true }, (client) => {
    const up = net.connect({ port: backendPort, host: '127.0.0.1', onread: { buffer: RB, callback: (n, buf) => onUp(buf.latin1Slice(0, n)) } });
    up.setNoDelay(true);
    let reqBuf = '';
    let respBuf = null;
    let pending = null; // { method, path, host, id, start, sent }
    client.on('data', (chunk) => {
      reqBuf += chunk.latin1Slice(0, chunk.length);
      const end = reqBuf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = reqBuf.slice(0, end);
      reqBuf = reqBuf.slice(end + 4);
      const lines = head.split('\r\n');
      const [method, path] = lines[0].split(' ');
      let host = '';
      let apikey = '';
      let out = lines[0] + '\r\n';
      for (let i = 1; i < lines.length; i++) {
        const l = lines[i];
        const c = l.indexOf(':');
        const name = l.slice(0, c).toLowerCase();
        const value = l.slice(c + 1).trim();
        if (name === 'host') host = value;
        else if (name === 'apikey') apikey = value;
        else if (name === 'connection') continue;
        out += l + '\r\n';
      }
      if (apikey !== KEY) {
        const body = '{"message":"No API key found in request"}';
        client.write(`HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
        return;
      }
      const now = Date.now();
      const sec = Math.floor(now / 1000);
      const min = Math.floor(now / 60000);
      const k = `bench:${sec}:${min}`;
      let ctr = counters.get('bench');
      if (!ctr || ctr.k !== k) counters.set('bench', (ctr = { k, s: 0, m: ctr && ctr.k.endsWith(`:${min}`) ? ctr.m : 0 }));
      ctr.s++;
      ctr.m++;
      const id = `${idBase}${(++seq).toString(16).padStart(12, '0')}`;
      out += `x-consumer-id: c\r\nx-consumer-username: bench\r\nx-credential-identifier: bench\r\nX-Request-Id: ${id}\r\nX-Forwarded-For: ${client.remoteAddress}\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${listenPort}\r\nX-Request-Start: ${now}\r\nVia: 1.1 spaceport\r\nX-Internal-API-Key: ${INTERNAL}\r\n\r\n`;
      pending = { method, path, host, id, start: now, s: ctr.s, m: ctr.m, fwd: client.remoteAddress };
      direct(up, out);
    });
    const onUp = (str) => {
      respBuf = respBuf ? respBuf + str : str;
      const s = respBuf;
      const end = s.indexOf('\r\n\r\n');
      if (end < 0) return;
      const cl = /\r\ncontent-length: *(\d+)/i.exec(s.slice(0, end));
      const len = cl ? Number(cl[1]) : 0;
      if (s.length < end + 4 + len) return;
      const lines = s.slice(0, end).split('\r\n');
      const status = lines[0].split(' ')[1];
      let out = lines[0] + '\r\n';
      for (let i = 1; i < lines.length; i++) {
        const l = lines[i];
        const n = l.slice(0, l.indexOf(':')).toLowerCase();
        if (n === 'connection' || n === 'keep-alive') continue;
        out += l + '\r\n';
      }
      const p = pending;
      const reset = 1;
      out += `x-ratelimit-limit-second: 1000000000\r\nx-ratelimit-remaining-second: ${1000000000 - p.s}\r\nx-ratelimit-limit-minute: 1000000000\r\nx-ratelimit-remaining-minute: ${1000000000 - p.m}\r\nratelimit-limit: 1000000000\r\nratelimit-remaining: ${1000000000 - p.s}\r\nratelimit-reset: ${reset}\r\n\r\n`;
      out += s.slice(end + 4, end + 4 + len);
      direct(client, out);
      respBuf = null;
      const t = Date.now();
      logs.push(`${new Date(t).toISOString()}\tapi\tat=info method=${p.method} path="${p.path}" host=${p.host} request_id=${p.id} fwd="${p.fwd}" dyno=web.1 connect=0ms service=${t - p.start}ms status=${status} bytes=${len} protocol=http`);
      pending = null;
    };
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
  })
  .listen(listenPort, '127.0.0.1', () => process.send?.({ type: 'ready' }));

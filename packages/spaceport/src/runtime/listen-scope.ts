/**
 * Which addresses a port is listened on beyond loopback, from /proc/net/tcp and tcp6 (Linux; elsewhere none are
 * seen). A dyno is meant to be reached through the gateway or the internal router only, both on loopback; one that
 * binds every interface (the usual `listen(PORT)`) is reachable from the network around them.
 */
import { readFile } from 'node:fs/promises';

const LISTEN = '0A';

/** `0.0.0.0:PORT`, `[::]:PORT` or another non-loopback address a socket listens on `port` with; [] when none. */
export async function exposedAddresses(port: number): Promise<string[]> {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(file, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== LISTEN) continue;
      const [hex, portHex] = (f[1] ?? '').split(':');
      if (!hex || parseInt(portHex ?? '', 16) !== port) continue;
      const address = decode(hex);
      if (!loopback(address)) out.push(address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);
    }
  }
  return out;
}

/** The kernel prints an address as 32-bit words in host order (little-endian on the machines Node runs on). */
function decode(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((w) => (w.match(/../g) ?? []).reverse()).map((b) => parseInt(b, 16));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const text = groups.join(':');
  return text === '0:0:0:0:0:0:0:0' ? '::' : text === '0:0:0:0:0:0:0:1' ? '::1' : text;
}

const loopback = (a: string) => a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.');

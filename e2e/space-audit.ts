/**
 * What the security audit of a running space reads from the outside, as `ps`, `ss -ltnp` and `ls -l` would: every
 * process of the space (the control plane and each recorded process group), their command lines, the TCP ports
 * they listen on with the address, and the secrets the space holds (to look for them where they must not be).
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { groupMembers } from './runtime-support.js';

export interface SpaceProcess {
  /** The recorded name of its group (`addons.events:broker`, `app:edm-ui:web.1`), or `control-plane`. */
  group: string;
  pid: number;
  argv: string;
}

export interface Listener {
  group: string;
  pid: number;
  /** `127.0.0.1`, `0.0.0.0`, `::1`, `::` or another address. */
  address: string;
  port: number;
}

interface StateFile {
  processes: Record<string, { pid: number }>;
  controlPlane?: { pid: number };
  internalApiKey?: string;
  sections?: { postgres?: Record<string, { password?: string }> };
}

export const readState = (dir: string): StateFile => JSON.parse(readFileSync(join(dir, '.spaceport', 'state.json'), 'utf8')) as StateFile;

/** Every live process of the space: the members of each recorded process group and of the control plane's. */
export function spaceProcesses(dir: string): SpaceProcess[] {
  const state = readState(dir);
  const groups: [string, number][] = Object.entries(state.processes).map(([name, r]) => [name, r.pid]);
  if (state.controlPlane) groups.push(['control-plane', state.controlPlane.pid]);
  const out: SpaceProcess[] = [];
  const seen = new Set<number>();
  for (const [group, leader] of groups) {
    for (const pid of new Set([leader, ...groupMembers(leader)])) {
      if (seen.has(pid)) continue;
      try {
        out.push({ group, pid, argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() });
        seen.add(pid);
      } catch {
        // exited meanwhile
      }
    }
  }
  return out;
}

/** /proc/net/tcp and tcp6 LISTEN entries by socket inode. */
function listeningSockets(): Map<string, { address: string; port: number }> {
  const out = new Map<string, { address: string; port: number }>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      const [hex, portHex] = f[1]!.split(':') as [string, string];
      out.set(f[9]!, { address: decodeAddress(hex), port: parseInt(portHex, 16) });
    }
  }
  return out;
}

/** The kernel writes addresses as 32-bit words in host (little-endian) order. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
  if (words.length === 1) return words[0]!.match(/../g)!.map((b) => parseInt(b, 16)).join('.');
  const all = words.join('');
  if (/^0{32}$/.test(all)) return '::';
  if (all === '00000000000000000000000000000001') return '::1';
  if (all.startsWith('00000000000000000000ffff')) return `::ffff:${all.slice(24).match(/../g)!.map((b) => parseInt(b, 16)).join('.')}`;
  return all.match(/.{4}/g)!.join(':');
}

/** The TCP ports the space's processes listen on, with the address each is bound to. */
export function spaceListeners(dir: string): Listener[] {
  const sockets = listeningSockets();
  const out: Listener[] = [];
  for (const p of spaceProcesses(dir)) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${p.pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link = '';
      try {
        link = readlinkSync(`/proc/${p.pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      const s = inode ? sockets.get(inode) : undefined;
      if (s && !out.some((l) => l.pid === p.pid && l.port === s.port && l.address === s.address)) out.push({ group: p.group, pid: p.pid, ...s });
    }
  }
  return out;
}

export const isLoopback = (address: string) => address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');

/** The space's secrets by what they are: the internal key, each database password, the gateway admin token. */
export function spaceSecrets(dir: string): Record<string, string> {
  const state = readState(dir);
  const out: Record<string, string> = {};
  if (state.internalApiKey) out.INTERNAL_API_KEY = state.internalApiKey;
  for (const [addon, s] of Object.entries(state.sections?.postgres ?? {})) if (s.password) out[`password of addons.${addon}`] = s.password;
  out['gateway admin token'] = readFileSync(join(dir, '.spaceport', 'admin-token'), 'utf8').trim();
  // The broker's admin token lives only in the control plane's memory and the broker's environment.
  for (const p of spaceProcesses(dir).filter((x) => x.group.endsWith(':broker'))) {
    try {
      const env = readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0');
      const token = env.find((e) => e.startsWith('SPACEPORT_EVENTS_TOKEN='))?.slice('SPACEPORT_EVENTS_TOKEN='.length);
      if (token) out[`admin token of ${p.group}`] = token;
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

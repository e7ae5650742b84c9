/**
 * Upstreams: the dynos behind an app's process type (or one URL), each with its own keep-alive socket
 * pool. Balancing is round-robin or least-connections over the members that are up and not benched:
 * a member that refuses connections is benched for a while (passive health), and an app with a
 * `health.path` is probed on an interval (active health).
 */
import { now as clockNow } from '../clock.js';
import http from 'node:http';
import https from 'node:https';
import type { DynoTarget, LoadBalancing } from '../entities.js';
import { Pool } from './conn.js';

/** How long a member that refused a connection stays out of rotation. */
export const BENCH_MS = 10_000;

export class Member {
  active = 0;
  benchedUntil = 0;
  healthy = true;
  /** Active checks: one probe at a time; two failures in a row take the member out, one success brings it back. */
  probing = false;
  failures = 0;
  readonly pool: Pool;
  constructor(
    readonly dyno: string,
    readonly host: string,
    readonly port: number,
    readonly tls: boolean,
    public state: string,
  ) {
    this.pool = new Pool(host, port, tls);
  }
  usable(now: number): boolean {
    return this.state === 'up' && this.healthy && this.benchedUntil <= now;
  }
}

/** Why no member could be picked, in Heroku's terms. */
export type NoMember = 'crashed' | 'none' | 'starting' | 'refused';

/** A request waiting for a connection under a service's max_conns (an Exchange; see forward.ts). */
export interface Waiter {
  queued: boolean;
  done: boolean;
  readonly compiledService: { readonly entity: { readonly max_conns?: number } };
}

export class UpstreamGroup {
  members: Member[] = [];
  private rr = 0;
  healthPath: string | undefined;
  healthTimer: NodeJS.Timeout | undefined;
  /** Requests waiting under max_conns, oldest first from `waitHead` (entries before it are done). */
  readonly waiting: Waiter[] = [];
  waitHead = 0;
  /** A drain of `waiting` is scheduled. */
  draining = false;
  constructor(readonly key: string) {}

  /** Puts a request at the end of the queue for a connection under its service's max_conns. */
  enqueue(w: Waiter): void {
    w.queued = true;
    this.waiting.push(w);
  }

  /**
   * The oldest waiting request that a member under its cap can take now (finished ones are dropped), taken off
   * the queue; undefined when there is none, and then the queue is compacted.
   */
  nextWaiter(now: number): Waiter | undefined {
    const waiting = this.waiting;
    while (this.waitHead < waiting.length) {
      const w = waiting[this.waitHead]!;
      if (w.done || !w.queued) {
        this.waitHead++;
        continue;
      }
      if (this.pickBelow(w.compiledService.entity.max_conns ?? Infinity, now) === undefined) break;
      this.waitHead++;
      w.queued = false;
      return w;
    }
    if (this.waitHead === waiting.length) {
      waiting.length = 0;
      this.waitHead = 0;
    } else if (this.waitHead > 1024) {
      waiting.splice(0, this.waitHead);
      this.waitHead = 0;
    }
    return undefined;
  }

  /** A usable member with fewer than `cap` connections in use, round-robin, or undefined when all are at the cap. */
  pickBelow(cap: number, now: number): Member | undefined {
    const ms = this.members;
    const n = ms.length;
    for (let i = 0; i < n; i++) {
      const m = ms[(this.rr + i) % n]!;
      if (m.active < cap && m.usable(now)) return m;
    }
    return undefined;
  }

  /** A usable member other than `avoid` (when there is another), or why there is none. */
  pick(lb: LoadBalancing, avoid: Member | undefined): Member | NoMember {
    const now = clockNow();
    const ms = this.members;
    const n = ms.length;
    let best: Member | undefined;
    if (lb === 'least-connections') {
      for (let i = 0; i < n; i++) {
        const m = ms[(this.rr + i) % n]!;
        if (!m.usable(now) || m === avoid) continue;
        if (best === undefined || m.active < best.active) best = m;
      }
      this.rr++;
    } else {
      for (let i = 0; i < n; i++) {
        const m = ms[this.rr++ % n]!;
        if (m.usable(now) && m !== avoid) {
          best = m;
          break;
        }
      }
    }
    if (best !== undefined) return best;
    if (avoid !== undefined && avoid.usable(now)) return avoid;
    let crashed = false;
    let starting = false;
    let benched = false;
    for (const m of ms) {
      if (m.state === 'crashed') crashed = true;
      else if (m.state === 'starting') starting = true;
      else if (m.state === 'up') benched = true;
    }
    if (starting) return 'starting';
    // Panic mode (Envoy's): when every member that is up was benched for refusing a connection, try them
    // anyway rather than answer H21 for the whole bench time: one failed connect (a backlog overflow, a
    // restart) must not take the last dyno of an app out for 10 s. A retry then still counts against
    // `retries`, so a dyno that keeps refusing ends in H21 after them.
    if (benched) {
      for (let i = 0; i < n; i++) {
        const m = ms[this.rr++ % n]!;
        if (m.state === 'up' && m.healthy && (m !== avoid || n === 1)) return m;
      }
      if (avoid !== undefined && avoid.state === 'up' && avoid.healthy) return avoid;
    }
    return benched ? 'refused' : crashed ? 'crashed' : 'none';
  }
}

/** Every upstream group of a worker, kept across config swaps so pools stay warm. */
export class Upstreams {
  private readonly groups = new Map<string, UpstreamGroup>();
  /** Sent with health probes too, so apps that check the key answer them. */
  internalApiKey = '';

  /** The group of an app's process type. */
  forApp(app: string, type: string): UpstreamGroup {
    const key = `${app}/${type}`;
    let g = this.groups.get(key);
    if (!g) {
      g = new UpstreamGroup(key);
      this.groups.set(key, g);
    }
    return g;
  }

  /** The group of an external URL: one member, always up. */
  forUrl(url: URL): UpstreamGroup {
    const tls = url.protocol === 'https:';
    const port = Number(url.port || (tls ? 443 : 80));
    const key = `url:${url.protocol}//${url.hostname}:${port}`;
    let g = this.groups.get(key);
    if (!g) {
      g = new UpstreamGroup(key);
      g.members = [new Member(url.host, url.hostname, port, tls, 'up')];
      this.groups.set(key, g);
    }
    return g;
  }

  /** Applies the runtime's dyno table: members keep their pools when the dyno and port are unchanged. */
  setDynos(dynos: readonly DynoTarget[]): void {
    const byKey = new Map<string, DynoTarget[]>();
    for (const d of dynos) {
      const k = `${d.app}/${d.type}`;
      const list = byKey.get(k);
      if (list) list.push(d);
      else byKey.set(k, [d]);
    }
    for (const [key, g] of this.groups) {
      if (key.startsWith('url:')) continue;
      const want = byKey.get(key) ?? [];
      const old = new Map(g.members.map((m) => [`${m.dyno}:${m.port}`, m]));
      const next: Member[] = [];
      for (const d of want) {
        const k = `${d.dyno}:${d.port}`;
        let m = old.get(k);
        if (m) {
          old.delete(k);
          // A dyno reported up again gets a fresh chance (it restarted or recovered).
          if (m.state !== 'up' && d.state === 'up') m.benchedUntil = 0;
          m.state = d.state;
        } else m = new Member(d.dyno, '127.0.0.1', d.port, false, d.state);
        next.push(m);
      }
      g.members = next;
      // Sockets of dynos that left are closed once their in-flight requests finish.
      for (const m of old.values()) setTimeout(() => m.pool.destroy(), 60_000).unref();
    }
    this.lastDynos = dynos;
  }

  private lastDynos: readonly DynoTarget[] = [];

  /** Re-applies the last dyno table (after new groups were created by a config swap). */
  refresh(): void {
    this.setDynos(this.lastDynos);
  }

  /** Probes `path` on each member every `interval` ms; a failing member leaves rotation until it passes. */
  setHealth(group: UpstreamGroup, path: string | undefined, interval: number): void {
    if (group.healthPath === path) return;
    if (group.healthTimer) clearInterval(group.healthTimer);
    group.healthPath = path;
    group.healthTimer = undefined;
    if (!path) {
      for (const m of group.members) m.healthy = true;
      return;
    }
    group.healthTimer = setInterval(() => {
      for (const m of group.members) if (m.state === 'up' && !m.probing) probe(m, path, Math.max(1000, Math.min(interval, 5000)), this.internalApiKey);
    }, interval);
    group.healthTimer.unref();
  }
}

function probe(m: Member, path: string, timeout: number, key: string): void {
  m.probing = true;
  const done = (ok: boolean) => {
    if (!m.probing) return;
    m.probing = false;
    m.failures = ok ? 0 : m.failures + 1;
    if (ok) m.healthy = true;
    else if (m.failures >= 2) m.healthy = false;
  };
  const req = (m.tls ? https : http).request(
    { host: m.host, port: m.port, path, method: 'GET', agent: false, timeout, headers: { 'user-agent': 'spaceport-health', 'x-internal-api-key': key } },
    (res) => {
      done((res.statusCode ?? 500) < 400);
      res.resume();
    },
  );
  req.on('timeout', () => req.destroy(new Error('health check timeout')));
  req.on('error', () => done(false));
  req.end();
}

/**
 * The embedded broker as a platform service: `events/main.ts` as a supervised child (restart with back-off),
 * data in `.spaceport/events/<addon>/`, the Kafka port from the config (left out: 9092, or a free one when it is
 * taken, kept in state; 0: a stable port from state), and the admin endpoint's token passed by env. Ready once the child reports `listening` over IPC. The file's
 * topics are applied when the space starts; a restart after a crash starts from the broker's data as it was
 * (every change since, through apply or a Kafka client's admin requests, is in its topic.json files), so it
 * neither brings back a renamed or deleted topic nor undoes a config change (which `spaceport plan` shows as drift).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResolvedApp } from '../config/load.js';
import type { KafkaAddonConfig } from '../config/schema.js';
import type { PlatformService, ServiceContext } from '../control/service.js';
import type { SupervisedChild } from '../runtime/supervisor-types.js';
import { attaches, kafkaEnvFor } from './attachments.js';
import type { BrokerEnvConfig } from './broker.js';
import { BROKER_EXIT } from './exit-codes.js';
import { BROKER_NODE_FLAGS } from './node-flags.js';
import type { TopicSettings } from './storage/log-store.js';

/** Crashes tolerated before the first `listening` (a refusal, see exit-codes.ts, ends the start at once). */
const START_EXITS = 3;
/** The Kafka port when the file sets none (and it is free the first time; see start). */
const DEFAULT_PORT = 9092;

/**
 * `.spaceport/events/` is the owner's alone: the records are the apps' data (sessions, orders...), and `.spaceport/`
 * itself lets other users pass (0711, for the Postgres server's user). Spaces made before this rule are fixed here.
 */
function closeToOthers(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export class EmbeddedBroker implements PlatformService {
  readonly name: string;
  readonly dataDir: string;
  private child: SupervisedChild | undefined;
  private readonly token = randomBytes(24).toString('base64url');
  port = 0;
  adminPort = 0;
  /**
   * `crashed`: the broker exited after it was up and the Supervisor restarts it (with back-off); `restarting`: it
   * runs again but does not listen yet; `up` again once it reports listening. `addons` shows these.
   */
  private phase: 'stopped' | 'starting' | 'up' | 'failed' | 'crashed' | 'restarting' = 'stopped';
  private ready: Promise<void>;
  private markReady!: () => void;
  private failReady!: (err: Error) => void;
  /** The file's topics, applied when the broker first starts (not by the supervisor's restarts after a crash). */
  private readonly topics: Record<string, TopicSettings>;
  /** The env of the supervised child: a restart after a crash spawns with what it holds then. */
  private childEnv: Record<string, string> | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    readonly addon: string,
    private config: KafkaAddonConfig,
  ) {
    this.name = `addons.${addon}`;
    this.dataDir = join(ctx.space.stateDir, 'events', addon);
    this.ready = new Promise((res, rej) => {
      this.markReady = res;
      this.failReady = rej;
    });
    this.ready.catch(() => {});
    this.topics = {};
    for (const [name, t] of Object.entries(config.topics)) this.topics[name] = { partitions: t.partitions, retentionMs: t.retention, retentionBytes: t.retention_bytes };
  }

  get url(): string {
    return `kafka://127.0.0.1:${this.port}`;
  }

  /**
   * The broker's settings. Once it has listened, its restarts get no topics: its data holds them as they are then.
   * With the file's topics, a crash-restart re-created a renamed or deleted file topic, empty, under its old name,
   * and set back a retention a Kafka client had changed (AlterConfigs), silently: plan would no longer show it.
   */
  private brokerConfig(started: boolean): BrokerEnvConfig {
    return { autoCreateTopics: this.config.auto_create_topics, topics: started ? {} : this.topics };
  }

  async start(): Promise<void> {
    this.phase = 'starting';
    const { ctx } = this;
    // Left out, the port is the default: 9092, or a free one when that is taken; 0 lets the platform pick. Both
    // are recorded in state (kept across restarts) and move to a fresh port when the recorded one is taken at
    // bind time. A port written in the file is used as is: taken, it fails with what to do.
    const chosen = this.config.port === undefined || this.config.port === 0;
    try {
      closeToOthers(dirname(this.dataDir));
      let port = await this.choosePort(false);
      let refused = await this.spawnUntilListening(port);
      if (refused === BROKER_EXIT.portInUse && chosen) {
        ctx.state.update((s) => {
          delete s.ports[this.name];
        });
        port = await this.choosePort(true);
        refused = await this.spawnUntilListening(port);
      }
      if (refused !== undefined) throw new Error(this.refusal(refused, port));
    } catch (err) {
      this.phase = 'failed';
      const e = new Error(`${this.name}: ${(err as Error).message}`);
      this.failReady(e);
      await this.child?.stop();
      this.child = undefined;
      throw e;
    }
    this.phase = 'up';
    this.markReady();
    const moved = this.config.port === undefined && this.port !== DEFAULT_PORT ? ` (${DEFAULT_PORT} was taken when this space chose its port; it keeps this one, recorded in state)` : '';
    ctx.log.write({ source: 'spaceport', app: this.name, dyno: 'broker', message: `Kafka broker ready on ${this.url}${moved} (data in ${this.dataDir})` });
  }

  /** The port to bind: the file's, or the one recorded in state (allocated the first time, 9092 preferred by default). */
  private async choosePort(fresh: boolean): Promise<number> {
    if (this.config.port) return this.config.port;
    return this.ctx.port(this.name, this.config.port === undefined && !fresh ? DEFAULT_PORT : undefined);
  }

  /** What to do about a broker that refused to start (its exit code, see exit-codes.ts). */
  private refusal(code: number, port: number): string {
    const key = `addons.${this.addon}.port`;
    if (code === BROKER_EXIT.portInUse) return `port ${port} is in use by another program: stop it, or set ${key} (0 lets the platform pick)`;
    return `port ${port} may not be bound by this user (ports below 1024 need privileges): set ${key} to 1024 or more (0 lets the platform pick)`;
  }

  /**
   * Spawns the supervised broker on `port`; resolves once it listens (undefined), or with its exit code when it
   * refused to start for a reason no restart cures (the child is stopped then, not restarted). Rejects after
   * START_EXITS crashes or 60 s without listening.
   */
  private async spawnUntilListening(port: number): Promise<number | undefined> {
    const { ctx } = this;
    this.port = port;
    const { command, args } = ctx.supervisor.nodeMain('events/main.ts');
    let exits = 0;
    let lastExit = '';
    let timer: NodeJS.Timeout | undefined;
    const listening = new Promise<number | undefined>((resolve, reject) => {
      const child = (this.child = ctx.supervisor.start({
        name: `${this.name}:broker`,
        logApp: this.name,
        logDyno: 'broker',
        logSource: 'spaceport',
        command,
        args: [...BROKER_NODE_FLAGS, ...args, '--port', String(port), '--data', this.dataDir, '--admin-port', '0'],
        cwd: ctx.space.dir,
        env: (this.childEnv = {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          // fdatasync (which can block for tens of ms) and fetch reads share libuv's threadpool; with the default
          // 4 threads a few slow fsyncs would stall every consumer's read. Read by libuv at start, hence env.
          UV_THREADPOOL_SIZE: '16',
          SPACEPORT_EVENTS_TOKEN: this.token,
          SPACEPORT_EVENTS_CONFIG: JSON.stringify(this.brokerConfig(false)),
        }),
        stopTimeoutMs: 10_000,
        ipc: true,
        onMessage: (msg) => {
          const m = msg as { type?: string; port?: number; adminPort?: number };
          if (m.type !== 'listening') return;
          if (this.phase === 'crashed' || this.phase === 'restarting') {
            this.phase = 'up';
            ctx.log.write({ source: 'spaceport', app: this.name, dyno: 'broker', message: `Kafka broker listens again on ${this.url}` });
          }
          if (m.port) this.port = m.port;
          this.adminPort = m.adminPort ?? 0;
          if (this.childEnv) this.childEnv.SPACEPORT_EVENTS_CONFIG = JSON.stringify(this.brokerConfig(true));
          resolve(undefined);
        },
      }));
      child.on('spawn', () => {
        if (this.phase === 'crashed' && this.child === child) this.phase = 'restarting';
      });
      child.on('exit', (code, signal) => {
        if ((this.phase === 'up' || this.phase === 'restarting') && this.child === child) this.phase = 'crashed';
        if (this.phase !== 'starting') return;
        exits++;
        lastExit = signal ? `signal ${signal}` : `code ${code}`;
        if (code === BROKER_EXIT.portInUse || code === BROKER_EXIT.portDenied) {
          // Stopped in the exit handler, before the supervisor's restart: the same refusal would only repeat.
          void child.stop().then(() => resolve(code));
        } else if (exits >= START_EXITS) {
          reject(new Error(`the broker exited (${lastExit}) ${exits} times before listening on 127.0.0.1:${port}; see \`spaceport logs\` (${this.name})`));
        }
      });
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the broker did not listen on 127.0.0.1:${port} within 60 s`)), 60_000);
      timer.unref();
    });
    try {
      return await Promise.race([listening, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await child?.stop();
    this.phase = 'stopped';
  }

  envFor(app: ResolvedApp): Record<string, string> {
    return this.port ? kafkaEnvFor(app, this.addon, this.url) : {};
  }

  readyFor(app: ResolvedApp): Promise<void> {
    return attaches(app, this.addon) ? this.ready : Promise.resolve();
  }

  /** Calls the broker's admin endpoint (loopback, token); its `{ error }` answers come back as thrown errors. */
  async admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    if (this.phase !== 'up' || !this.adminPort) throw new Error(`${this.name} is not running (${this.phase})`);
    const res = await fetch(`http://127.0.0.1:${this.adminPort}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  status(): Record<string, unknown> {
    return { type: 'kafka', embedded: true, external: false, state: this.phase, url: this.url, pid: this.child?.pid ?? null, restarts: this.child?.restarts ?? 0, dataDir: this.dataDir };
  }
}

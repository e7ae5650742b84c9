/**
 * The embedded broker as a platform service: `events/main.ts` as a supervised child (restart with back-off),
 * data in `.spaceport/events/<addon>/`, the Kafka port from the config (0: a stable port from state), and the
 * admin endpoint's token passed by env. Ready once the child reports `listening` over IPC. The topics it is
 * (re)started with follow what was applied to it since (renames, deletions, new settings), so a crash-restart
 * does not bring back a topic under its old name.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ResolvedApp } from '../config/load.js';
import type { KafkaAddonConfig } from '../config/schema.js';
import type { PlatformService, ServiceContext } from '../control/service.js';
import type { SupervisedChild } from '../runtime/supervisor-types.js';
import { attaches, kafkaEnvFor } from './attachments.js';
import type { BrokerEnvConfig } from './broker.js';
import type { TopicSettings } from './storage/log-store.js';

/** A topic change the broker applied (through the control API), to be kept for its restarts. */
export type AppliedTopicChange =
  | { op: 'rename'; from: string; to: string }
  | { op: 'delete'; name: string }
  | { op: 'set'; name: string; settings: Partial<TopicSettings> };

/** Exits tolerated before the first `listening`: a broker that cannot bind or read its data will not get better. */
const START_EXITS = 3;

export class EmbeddedBroker implements PlatformService {
  readonly name: string;
  readonly dataDir: string;
  private child: SupervisedChild | undefined;
  private readonly token = randomBytes(24).toString('base64url');
  port = 0;
  adminPort = 0;
  private phase: 'stopped' | 'starting' | 'up' | 'failed' = 'stopped';
  private ready: Promise<void>;
  private markReady!: () => void;
  private failReady!: (err: Error) => void;
  /** The topics the broker is started with: the file's, then as changed by what was applied since. */
  private topics: Record<string, TopicSettings>;
  /** The env of the supervised child: a restart after a crash spawns with what it holds then. */
  private childEnv: Record<string, string> | undefined;
  /** Started-with topics deleted since, by name (a replace deletes and creates one). */
  private readonly deleted = new Map<string, TopicSettings>();

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

  private brokerConfig(): BrokerEnvConfig {
    return { autoCreateTopics: this.config.auto_create_topics, topics: this.topics };
  }

  /**
   * Records a topic change the running broker applied, so its next start (the supervisor's restart after a
   * crash) creates and configures the topics as they are now: without it, a restart re-created a renamed or
   * deleted topic of the file, empty, under its old name. The next `up` starts from the file again.
   */
  topicApplied(change: AppliedTopicChange): void {
    const t = this.topics;
    if (change.op === 'rename') {
      if (t[change.from]) t[change.to] = t[change.from]!;
      delete t[change.from];
    } else if (change.op === 'delete') {
      if (t[change.name]) this.deleted.set(change.name, t[change.name]!);
      delete t[change.name];
    } else {
      // Only topics the broker is started with need it (any other one is loaded from its directory as it is),
      // and one deleted and created again (a replace with fewer partitions) keeps its retention.
      const base = t[change.name] ?? this.deleted.get(change.name);
      if (base) t[change.name] = { ...base, ...change.settings };
      this.deleted.delete(change.name);
    }
    if (this.childEnv) this.childEnv.SPACEPORT_EVENTS_CONFIG = JSON.stringify(this.brokerConfig());
  }

  async start(): Promise<void> {
    this.phase = 'starting';
    const { ctx } = this;
    this.port = this.config.port === 0 ? await ctx.port(this.name) : this.config.port;
    const { command, args } = ctx.supervisor.nodeMain('events/main.ts');
    let exits = 0;
    let lastExit = '';
    const listening = new Promise<void>((resolve, reject) => {
      const child = (this.child = ctx.supervisor.start({
        name: `${this.name}:broker`,
        logApp: this.name,
        logDyno: 'broker',
        logSource: 'spaceport',
        command,
        args: [...args, '--port', String(this.port), '--data', this.dataDir, '--admin-port', '0'],
        cwd: ctx.space.dir,
        env: (this.childEnv = {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          // fdatasync (which can block for tens of ms) and fetch reads share libuv's threadpool; with the default
          // 4 threads a few slow fsyncs would stall every consumer's read. Read by libuv at start, hence env.
          UV_THREADPOOL_SIZE: '16',
          SPACEPORT_EVENTS_TOKEN: this.token,
          SPACEPORT_EVENTS_CONFIG: JSON.stringify(this.brokerConfig()),
        }),
        stopTimeoutMs: 10_000,
        ipc: true,
        onMessage: (msg) => {
          const m = msg as { type?: string; port?: number; adminPort?: number };
          if (m.type !== 'listening') return;
          this.adminPort = m.adminPort ?? 0;
          resolve();
        },
      }));
      child.on('exit', (code, signal) => {
        exits++;
        lastExit = signal ? `signal ${signal}` : `code ${code}`;
        if (this.phase === 'starting' && exits >= START_EXITS) {
          reject(new Error(`the broker exited (${lastExit}) ${exits} times before listening on 127.0.0.1:${this.port}; is the port taken? See \`spaceport logs\` (${this.name})`));
        }
      });
    });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the broker did not listen on 127.0.0.1:${this.port} within 60 s`)), 60_000).unref());
    try {
      await Promise.race([listening, timeout]);
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
    ctx.log.write({ source: 'spaceport', app: this.name, dyno: 'broker', message: `Kafka broker ready on ${this.url} (data in ${this.dataDir})` });
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
    return { type: 'kafka', embedded: true, state: this.phase, url: this.url, pid: this.child?.pid ?? null, restarts: this.child?.restarts ?? 0, dataDir: this.dataDir };
  }
}

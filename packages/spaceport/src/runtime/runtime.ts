/**
 * The runtime of a space: one formation per app, the build and release phase of each deploy, config
 * changes as new releases, one-off dynos, and the dyno list the gateway routes by (`dynos()`/`onDynos`).
 */
import type { ResolvedApp, Space } from '../config/load.js';
import type { StateStore } from '../state/store.js';
import type { DynoInfo } from './dyno.js';
import type { LogSink } from './log-line.js';
import type { ProcessSupervisor } from './supervisor.js';
import type { DynoProcess } from './dyno-process.js';
import { AppFormation, type RunningRelease } from './formation.js';
import { OneOffRegistry } from './one-off.js';
import { runOnce } from './one-shot.js';
import { shellCommand } from './shell-command.js';
import { freePort } from '../control/ports.js';
import { keepBuild, packageHashesAsync, pruneBuilds, sourceHashAsync } from '../plan/builds.js';
import { localPackages } from '../plan/workspace-packages.js';
import { KeyedLock } from './keyed-lock.js';
import { appReleases, createRelease, currentRelease, effectiveConfig, finishRelease, needsRelease, type ReleaseRecord } from './releases.js';

export interface RuntimeDeps {
  space: Space;
  state: StateStore;
  log: LogSink;
  supervisor: ProcessSupervisor;
  internalApiKey: string;
  /** Env vars the platform services give to an app's dynos (DATABASE_URL, KAFKA_URL, <APP>_URL...). */
  servicesEnv(app: ResolvedApp): Record<string, string>;
  /** Resolves once every service is ready for the app (a database accepting connections). */
  servicesReady(app: ResolvedApp): Promise<void>;
}

export type DeployResult = { ok: true; dynos: DynoProcess[] } | { ok: false; reason: string };

export class Runtime {
  readonly formations = new Map<string, AppFormation>();
  readonly runs: OneOffRegistry;
  private readonly listeners: ((dynos: DynoInfo[]) => void | Promise<void>)[] = [];
  /** Resolves once every listener that routes by the dyno list has the last one published; none: nothing to wait for. */
  private published: Promise<void> | undefined;
  private closed = false;
  private readonly buildLock = new KeyedLock();

  constructor(private readonly deps: RuntimeDeps) {
    this.runs = new OneOffRegistry(deps.log, () => this.changed());
    for (const app of Object.values(deps.space.config.apps)) this.addApp(app);
  }

  /** Adds an app's (empty) formation; `deploy` then builds, releases and boots it. Used by `apply`. */
  addApp(app: ResolvedApp): AppFormation {
    const fdeps = { supervisor: this.deps.supervisor, log: this.deps.log, dynoEnv: this.dynoEnv.bind(this), changed: () => this.changed(), routed: () => this.published ?? Promise.resolve() };
    const f = new AppFormation(fdeps, app);
    this.formations.set(app.name, f);
    return f;
  }

  /** Stops every dyno of an app and forgets its formation (its releases stay in state). Used by `apply`. */
  async removeApp(name: string): Promise<void> {
    const f = this.formations.get(name);
    if (!f) return;
    await f.stop();
    this.formations.delete(name);
    this.changed();
  }

  /** Every dyno of every app, sorted by app, type and number. */
  dynos(): DynoInfo[] {
    const all = [...this.formations.values()].flatMap((f) => f.all().map((d) => d.info()));
    all.push(...this.runs.list());
    return all.sort((a, b) => a.app.localeCompare(b.app) || a.type.localeCompare(b.type) || num(a.dyno) - num(b.dyno));
  }

  /** `fn` gets every changed dyno list; one that routes by it returns a promise resolved once the list is in effect. */
  onDynos(fn: (dynos: DynoInfo[]) => void | Promise<void>): void {
    this.listeners.push(fn);
  }

  /** The env of a dyno; platform variables come last so config vars cannot shadow PORT or DYNO. */
  dynoEnv(app: ResolvedApp, dyno: string, port: number, config: Record<string, string>): Record<string, string> {
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) base[k] = v;
    return {
      ...base,
      ...config,
      ...this.deps.servicesEnv(app),
      PORT: String(port),
      DYNO: dyno,
      APP_NAME: app.name,
      INTERNAL_API_KEY: this.deps.internalApiKey,
    };
  }

  /** Build, release (phase), boot: the first start of an app in this control plane. */
  async deploy(app: ResolvedApp): Promise<DeployResult> {
    const { log, state, supervisor } = this.deps;
    const say = (message: string) => log.write({ source: 'spaceport', app: app.name, dyno: 'build', message });
    const config = effectiveConfig(app.env, appReleases(state.read(), app.name).overrides);
    // The source's content hash identifies the build (taken before building: outputs are not part of it).
    // Read, copied and pruned asynchronously: a large app root must not stall the control plane's loop.
    const hash = await sourceHashAsync(app.root, app.include);
    const packages = await packageHashesAsync(app.root, app.include);
    if (app.build) {
      const build = app.build;
      // Builds of apps that share a workspace package wait for the first of them to build it (each may: `tsc -b`
      // of a project reference); once one has succeeded, that version of the package is built and the rest
      // run side by side.
      const locals = localPackages(app.root, app.include).map((p) => ({ name: p.name, key: `${p.dir}@${packages?.[p.name] ?? ''}` }));
      const shared = locals.filter((p) => this.buildLock.busy.includes(p.key) && !this.buildLock.isDone(p.key)).map((p) => p.name);
      if (shared.length) say(`Build waits: ${shared.join(', ')} is being built by another app's build; the apps that use it build side by side once it is`);
      const status = await this.buildLock.runUntilDone(
        locals.map((p) => p.key),
        () => {
          say(`Build started: \`${build}\``);
          return runOnce(supervisor, { app: app.name, dyno: 'build', command: build, cwd: app.root, env: this.dynoEnv(app, 'build', 0, config), stopTimeoutMs: app.stop_timeout });
        },
        (code) => code === 0,
      );
      if (status !== 0) {
        say(`Build failed with status ${status}`);
        return { ok: false, reason: `build of ${app.name} failed (\`${app.build}\` exited with status ${status}); see \`spaceport logs -a ${app.name} -d build\`` };
      }
      say('Build succeeded');
    }
    // Kept so `rollback` can run this build again without rebuilding (the last 5 per app).
    await keepBuild(this.deps.space.stateDir, app.name, app.root, hash, app.include);
    await pruneBuilds(this.deps.space.stateDir, app.name, [hash, currentRelease(state.read(), app.name)?.build?.hash ?? '']);
    await this.deps.servicesReady(app);
    if (this.closed) return { ok: false, reason: 'the space was stopped during the start' };
    let rel: RunningRelease | undefined = currentRelease(state.read(), app.name);
    if (needsRelease(state.read(), app.name, config, app.processes, { hash })) {
      const fresh = createRelease(state, app.name, { description: rel ? `Deploy ${hash}` : 'Initial release', config, processes: { ...app.processes }, build: packages ? { hash, packages } : { hash } });
      const failure = await this.releasePhase(app, fresh);
      if (failure) {
        if (!rel) return { ok: false, reason: failure };
        log.write({ source: 'spaceport', app: app.name, dyno: 'release', message: `Release v${fresh.version} failed; v${rel.version} keeps running` });
      } else rel = fresh;
    }
    const f = this.formations.get(app.name)!;
    // A running app (apply of a changed app) rolls to the new release: each web dyno's replacement is up first.
    if (f.release) {
      if (rel!.version !== f.release.version) await f.roll(rel);
      return { ok: true, dynos: [] };
    }
    const dynos = await f.start(rel!);
    return { ok: true, dynos };
  }

  /** config:set / config:unset: a new release with the changed vars, then a rolling restart of the app. */
  async setConfig(appName: string, set: Record<string, string>, unset: string[]): Promise<ReleaseRecord> {
    const { state } = this.deps;
    const f = this.formations.get(appName)!;
    const overrides = { ...appReleases(state.read(), appName).overrides };
    for (const [k, v] of Object.entries(set)) overrides[k] = v;
    for (const k of unset) overrides[k] = null;
    const config = effectiveConfig(f.app.env, overrides);
    const parts = [Object.keys(set).length ? `Set ${Object.keys(set).join(', ')} config vars` : '', unset.length ? `Remove ${unset.join(', ')} config vars` : ''];
    const rel = createRelease(state, appName, { description: parts.filter(Boolean).join('; '), config, processes: { ...f.app.processes }, overrides, build: f.release?.build });
    const failure = await this.releasePhase(f.app, rel);
    if (failure) throw new Error(`${failure}; ${f.release ? `v${f.release.version} keeps running` : 'nothing runs'}`);
    if (f.release) await f.roll(rel);
    else await f.start(rel); // an app whose first release had failed: this one boots it
    return { ...rel, status: 'succeeded' };
  }

  /** Runs the `release` process type, if any; returns why it failed, or undefined. Records the outcome. */
  private async releasePhase(app: ResolvedApp, rel: ReleaseRecord): Promise<string | undefined> {
    const command = rel.processes.release;
    let status = 0;
    if (command) {
      status = await runOnce(this.deps.supervisor, { app: app.name, dyno: 'release', command, cwd: app.root, env: this.dynoEnv(app, 'release', 0, rel.config), stopTimeoutMs: app.stop_timeout });
    }
    finishRelease(this.deps.state, app.name, rel.version, status === 0);
    if (status === 0) return undefined;
    return `release v${rel.version} of ${app.name} failed: the release phase (\`${command}\`) exited with status ${status}; see \`spaceport logs -a ${app.name} -d release\``;
  }

  async stop(): Promise<void> {
    this.closed = true;
    await Promise.all([this.runs.stopAll(), ...[...this.formations.values()].map((f) => f.stop())]);
  }

  /**
   * A one-off dyno of the app's running release: named and listed here; `detached`, also spawned here (output to
   * the space's log, never restarted), else the CLI spawns it with the returned cwd and env. `env` (run -e) comes
   * after the config vars and before the platform's variables.
   */
  async oneOff(appName: string, command: string, env: Record<string, string>, detached: boolean): Promise<{ info: DynoInfo; cwd: string; env: Record<string, string> }> {
    const f = this.formations.get(appName)!;
    const rel = f.release!;
    const port = await freePort();
    const info = this.runs.create(appName, command, `v${rel.version}`, port, f.app.stop_timeout, detached);
    // As a formation dyno does: a rollback's release runs from its kept build.
    const cwd = rel.build?.dir ?? f.app.root;
    const full = this.dynoEnv(f.app, info.dyno, port, { ...rel.config, ...env });
    if (detached) {
      const child = this.deps.supervisor.start({
        name: `app:${appName}:${info.dyno}`,
        logApp: appName,
        logDyno: info.dyno,
        logSource: 'app',
        command: 'sh',
        args: ['-c', shellCommand(command)],
        cwd,
        env: full,
        restart: false,
        stopTimeoutMs: f.app.stop_timeout,
      });
      this.runs.attach(appName, info.dyno, child);
    }
    return { info, cwd, env: full };
  }

  /**
   * `ps:stop`: a one-off stops for good; a formation dyno (`web.1`, or every dyno of a type) stops and, since the
   * formation's scale still asks for it, is started again, as Heroku's dyno manager does. Resolves with what stopped.
   */
  async stopDyno(appName: string, dyno: string): Promise<{ stopped: string[]; restarted: boolean }> {
    if (this.runs.has(appName, dyno)) {
      await this.runs.stop(appName, dyno);
      return { stopped: [dyno], restarted: false };
    }
    if (dyno === 'run') {
      const runs = this.runs.list().filter((d) => d.app === appName).map((d) => d.dyno);
      await Promise.all(runs.map((d) => this.runs.stop(appName, d)));
      return { stopped: runs, restarted: false };
    }
    const stopped = await this.formations.get(appName)!.stopDynos(dyno);
    return { stopped, restarted: stopped.length > 0 };
  }

  private changed(): void {
    if (this.listeners.length === 0) return;
    const list = this.dynos();
    const acks: Promise<void>[] = [];
    for (const l of this.listeners) {
      const ack = l(list);
      if (ack) acks.push(ack);
    }
    // Each list holds every earlier change, so having the last one in effect covers them all.
    this.published = acks.length ? Promise.all(acks).then(() => undefined) : undefined;
  }
}

function num(dyno: string): number {
  return Number(dyno.slice(dyno.lastIndexOf('.') + 1)) || 0;
}

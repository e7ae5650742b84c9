/**
 * The control plane's side of `apply`: the routes the app, config and formation providers call. The
 * control plane re-reads spaceport.yaml for every change (the CLI sends only names), so what runs is always
 * what the file says at the moment of apply.
 *
 *   GET    /v1/lifecycle/apps                 every app as the providers compare it (source hash, config, scale)
 *   PUT    /v1/lifecycle/apps/:app            create or update an app from the file: build, release, boot or roll
 *   DELETE /v1/lifecycle/apps/:app            stop an app and forget its formation (releases stay in state)
 *   POST   /v1/lifecycle/apps/:app/move       {to}: rename, keeping releases, config:set values, builds, attachments
 *   PUT    /v1/lifecycle/apps/:app/config     {vars}: exactly these config vars (a release, rolling the dynos)
 *   POST   /v1/apps/:app/rollback             {version?}: run an earlier release's build and config as a new release
 *   (add-ons: see addon-routes.ts)
 */
import { existsSync, renameSync } from 'node:fs';
import { loadSpaceOrThrow, type ResolvedApp, type Space } from '../config/load.js';
import type { ControlPlane } from '../control/plane.js';
import type { Router } from '../control/router.js';
import { ControlError } from '../control/router-types.js';
import { appReleases, currentRelease, effectiveConfig, type AppReleases } from '../runtime/releases.js';
import { releaseAndRoll } from './release-phase.js';
import { attachmentRelease } from './attach-release.js';
import { addonRoutes } from './addon-routes.js';
import { appAttrs } from './providers/app.js';
import { buildDir, buildsDir, packageHashesAsync, sourceHashAsync } from './builds.js';

/** Serializes lifecycle changes: two applies (or an apply and a rollback) never interleave on one plane. */
let queue: Promise<unknown> = Promise.resolve();
export function serial<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

export async function reload(plane: ControlPlane): Promise<Space> {
  try {
    return await loadSpaceOrThrow(plane.space.file);
  } catch (err) {
    throw new ControlError(422, 'invalid_config', `spaceport.yaml has errors: ${(err as Error).message}`);
  }
}

function fileApp(space: Space, name: string): ResolvedApp {
  const app = space.config.apps[name];
  if (!app) throw new ControlError(404, 'not_in_config', `${name} is not an app of spaceport.yaml; run \`spaceport plan\` again`);
  return app;
}

/** Takes the new file as the plane's config; services learn about added, removed or renamed apps. */
export async function takeConfig(plane: ControlPlane, space: Space, appsChanged: boolean): Promise<void> {
  (plane as { space: Space }).space = space;
  if (!appsChanged) return;
  for (const svc of plane.services) await svc.reconfigure?.(space);
}

/** Resolves once every new dyno is up; a crash at boot is the change's failure. */
async function settled(app: string, dynos: { settled(): Promise<'up' | 'crashed'>; spec: { dyno: string }; lastError?: string }[]): Promise<void> {
  const outcomes = await Promise.all(dynos.map((d) => d.settled()));
  const crashed = dynos.find((_, i) => outcomes[i] === 'crashed');
  if (crashed) throw new ControlError(422, 'crashed', `${app} ${crashed.spec.dyno} crashed: ${crashed.lastError ?? 'unknown'}; see \`spaceport logs -a ${app}\``);
}

function sameVars(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export function lifecycleRoutes(router: Router, plane: ControlPlane): void {
  addonRoutes(router, plane);
  router.add('GET', '/v1/lifecycle/apps', async () => {
    const state = plane.state.read();
    const apps: Record<string, unknown> = {};
    for (const [name, f] of plane.runtime.formations) {
      const rel = currentRelease(state, name);
      const app = rel ? { ...f.app, processes: rel.processes } : f.app;
      const scale: Record<string, number> = {};
      for (const [t, n] of Object.entries(f.scale)) if (t !== 'release' && (t in app.processes || n > 0)) scale[t] = n;
      apps[name] = {
        // Hashed without blocking the control plane: an app root can be large.
        app: rel?.build
          ? appAttrs(app, plane.space.dir, rel.build.hash, rel.build.packages)
          : appAttrs(app, plane.space.dir, await sourceHashAsync(f.app.root, f.app.include), await packageHashesAsync(f.app.root, f.app.include)),
        config: rel?.config ?? effectiveConfig(f.app.env, appReleases(state, name).overrides),
        scale,
      };
    }
    return { apps };
  });

  router.add('PUT', '/v1/lifecycle/apps/:app', (req) =>
    serial(async () => {
      const name = req.params.app!;
      const space = await reload(plane);
      const app = fileApp(space, name);
      const known = plane.runtime.formations.get(name);
      // The gateway learns about apps it routes to: a new one, or a changed internal flag or health check.
      const gatewayFacing = !known || known.app.internal !== app.internal || JSON.stringify(known.app.health) !== JSON.stringify(app.health);
      await takeConfig(plane, space, gatewayFacing);
      const before = known?.app;
      const f = known ?? plane.runtime.addApp(app);
      // Process types the new definition drops stop first: the roll replaces only what remains.
      const dropped = Object.keys(f.scale).filter((t) => !(t in app.processes) && (f.scale[t] ?? 0) > 0);
      if (dropped.length) await f.setScale(Object.fromEntries(dropped.map((t) => [t, 0])));
      f.setApp(app);
      const last = appReleases(plane.state.read(), name).releases.at(-1)?.version ?? 0;
      const result = await plane.runtime.deploy(app);
      if (!result.ok) {
        if (!known) await plane.runtime.removeApp(name);
        throw new ControlError(422, 'deploy_failed', plane.withLastOutput(result.reason));
      }
      // A release phase that fails keeps the previous release running: for apply, that change failed.
      const latest = appReleases(plane.state.read(), name).releases.at(-1);
      if (latest && latest.version > last && latest.status === 'failed') {
        throw new ControlError(422, 'release_failed', plane.withLastOutput(`release v${latest.version} of ${name} failed: its release phase exited non-zero, so v${appReleases(plane.state.read(), name).current} keeps running; see \`spaceport logs -a ${name} -d release\``));
      }
      await settled(name, result.dynos);
      // `apply --replace apps.<name>`: rebuilt above; with no new release (the same source and config), one is made
      // anyway, so its release phase runs and every dyno is replaced.
      const replaced = (req.body as { replace?: unknown } | undefined)?.replace === true;
      if (replaced && known && f.release && (appReleases(plane.state.read(), name).releases.at(-1)?.version ?? 0) === last) {
        const { config, processes, build } = f.release;
        await releaseAndRoll(plane, app, { description: 'Replace (apply --replace)', config, processes, build });
      }
      // Attached or detached add-ons: their vars come from the services, so that change is a release of its own.
      const attach = before && f.release ? attachmentRelease(plane, f, before, app) : undefined;
      if (attach && f.release) {
        const { config, processes, build } = f.release;
        await releaseAndRoll(plane, app, { description: attach, config, processes, build });
      }
      const rel = currentRelease(plane.state.read(), name);
      return { app: name, release: rel ? `v${rel.version}` : null };
    }),
  );

  router.add('DELETE', '/v1/lifecycle/apps/:app', (req) =>
    serial(async () => {
      const name = req.params.app!;
      await plane.runtime.removeApp(name);
      const space = await reload(plane).catch(() => plane.space);
      await takeConfig(plane, space, true);
      return { app: name, deleted: true };
    }),
  );

  router.add('POST', '/v1/lifecycle/apps/:app/move', (req) =>
    serial(async () => {
      const from = req.params.app!;
      const to = (req.body as { to?: unknown } | undefined)?.to;
      if (typeof to !== 'string' || !to) throw new ControlError(400, 'bad_body', 'give {"to": "<new app name>"}');
      if (plane.runtime.formations.has(to)) throw new ControlError(409, 'exists', `an app named ${to} already runs`);
      const space = await reload(plane);
      const app = fileApp(space, to);
      await plane.runtime.removeApp(from);
      // Identity moves with the app: releases, config:set values, scale, kept builds.
      plane.state.update((s) => {
        for (const section of ['releases', 'formation']) {
          const sec = s.sections[section] as Record<string, unknown> | undefined;
          if (sec && from in sec) {
            sec[to] = sec[from];
            delete sec[from];
          }
        }
      });
      const builds = buildsDir(plane.space.stateDir, from);
      if (existsSync(builds) && !existsSync(buildsDir(plane.space.stateDir, to))) renameSync(builds, buildsDir(plane.space.stateDir, to));
      await takeConfig(plane, space, true);
      plane.runtime.addApp(app);
      const result = await plane.runtime.deploy(app);
      if (!result.ok) throw new ControlError(422, 'deploy_failed', plane.withLastOutput(result.reason));
      await settled(to, result.dynos);
      return { app: to, from };
    }),
  );

  router.add('PUT', '/v1/lifecycle/apps/:app/config', (req) =>
    serial(async () => {
      const name = req.params.app!;
      const vars = (req.body as { vars?: Record<string, string> } | undefined)?.vars;
      if (!vars || typeof vars !== 'object') throw new ControlError(400, 'bad_body', 'give {"vars": {KEY: "value"}}');
      const f = plane.runtime.formations.get(name);
      if (!f) throw new ControlError(404, 'unknown_app', `no app named ${name} runs`);
      const space = await reload(plane);
      f.setApp(fileApp(space, name));
      const current = f.release?.config ?? {};
      const set: Record<string, string> = {};
      for (const [k, v] of Object.entries(vars)) if (current[k] !== v) set[k] = v;
      const unset = Object.keys(current).filter((k) => !(k in vars));
      let release: string | null = null;
      if (!sameVars(current, vars)) {
        const rel = await plane.runtime.setConfig(name, set, unset).catch((err: Error) => {
          throw new ControlError(422, 'release_failed', plane.withLastOutput(err.message));
        });
        release = `v${rel.version}`;
      }
      // The file is the truth again: config:set values it now agrees with are no longer overrides.
      plane.state.update((s) => {
        const r = (s.sections.releases as Record<string, AppReleases> | undefined)?.[name];
        if (r) r.overrides = {};
      });
      return { app: name, release };
    }),
  );

  router.add('POST', '/v1/apps/:app/rollback', (req) =>
    serial(async () => {
      const name = req.params.app!;
      const f = plane.runtime.formations.get(name);
      if (!f) throw new ControlError(404, 'unknown_app', `no app named ${name} runs`);
      const all = appReleases(plane.state.read(), name);
      const asked = (req.body as { version?: unknown } | undefined)?.version;
      const n = typeof asked === 'string' ? Number(asked.replace(/^v/, '')) : typeof asked === 'number' ? asked : undefined;
      const target =
        n !== undefined
          ? all.releases.find((r) => r.version === n)
          : [...all.releases].reverse().find((r) => r.version < all.current && r.status === 'succeeded');
      if (!target) throw new ControlError(404, 'unknown_release', n !== undefined ? `${name} has no release v${n}; see \`spaceport releases -a ${name}\`` : `${name} has no earlier release to roll back to`);
      if (target.status !== 'succeeded') throw new ControlError(409, 'failed_release', `v${target.version} of ${name} never ran (its release ${target.status}); pick another with \`spaceport releases -a ${name}\``);
      const hash = target.build?.hash;
      const dir = hash ? buildDir(plane.space.stateDir, name, hash) : undefined;
      if (!hash || !dir) {
        throw new ControlError(410, 'build_gone', `the build of v${target.version} is no longer kept (the last 5 builds of an app are); deploy it again instead`);
      }
      // Config vars return too, as on Heroku: expressed as overrides of the file's env.
      const overrides: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(target.config)) if (f.app.env[k] !== v) overrides[k] = v;
      for (const k of Object.keys(f.app.env)) if (!(k in target.config)) overrides[k] = null;
      // The release phase runs for a rollback too (Heroku does): from the kept build, with vN's config.
      const rel = await releaseAndRoll(plane, f.app, {
        description: `Rollback to v${target.version}`,
        config: target.config,
        processes: target.processes,
        overrides,
        build: { hash, dir, ...(target.build?.packages ? { packages: target.build.packages } : {}) },
      });
      return { app: name, release: `v${rel.version}`, description: rel.description };
    }),
  );
}

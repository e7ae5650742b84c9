/**
 * Releases the lifecycle makes itself (a rollback, an add-on attached or detached): each runs the app's
 * `release` process type first, as Heroku does for every release, from the release's build (a kept build
 * for a rollback, so the old code's migrations run). A release phase that fails fails the release, and the
 * current release keeps running.
 */
import type { ResolvedApp } from '../config/load.js';
import type { ControlPlane } from '../control/plane.js';
import { ControlError } from '../control/router-types.js';
import { runOnce } from '../runtime/one-shot.js';
import { appReleases, createRelease, finishRelease, type AppReleases, type ReleaseRecord } from '../runtime/releases.js';

type NewRelease = Parameters<typeof createRelease>[2];

/** Creates release `spec` of `app`, runs its release phase and, if it succeeds, rolls the app's dynos to it. */
export async function releaseAndRoll(plane: ControlPlane, app: ResolvedApp, spec: NewRelease): Promise<ReleaseRecord> {
  const f = plane.runtime.formations.get(app.name);
  if (!f) throw new ControlError(404, 'unknown_app', `no app named ${app.name} runs`);
  // The overrides (config:set values) change only with a release that succeeds.
  const { overrides, ...record } = spec;
  const rel = createRelease(plane.state, app.name, record);
  const command = rel.processes.release;
  let status = 0;
  if (command) {
    const env = plane.runtime.dynoEnv(app, 'release', 0, rel.config);
    status = await runOnce(plane.supervisor, { app: app.name, dyno: 'release', command, cwd: rel.build?.dir ?? app.root, env, stopTimeoutMs: app.stop_timeout });
  }
  finishRelease(plane.state, app.name, rel.version, status === 0);
  if (status !== 0) {
    const current = appReleases(plane.state.read(), app.name).current;
    throw new ControlError(
      422,
      'release_failed',
      `release v${rel.version} of ${app.name} (${rel.description}) failed: its release phase (\`${command}\`) exited with status ${status}, so v${current} keeps running; see \`spaceport logs -a ${app.name} -d release\``,
    );
  }
  if (overrides) {
    plane.state.update((s) => {
      const r = (s.sections.releases as Record<string, AppReleases>)[app.name]!;
      r.overrides = overrides;
    });
  }
  const done = { ...rel, status: 'succeeded' as const };
  if (f.release) await f.roll(done);
  else await f.start(done);
  return done;
}

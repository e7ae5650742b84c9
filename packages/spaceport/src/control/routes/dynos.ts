/** Dynos: GET /v1/ps, POST /v1/apps/:app/scale, POST /v1/restart, one-off runs under /v1/apps/:app/runs. */
import type { Router } from '../router.js';
import type { ControlPlane } from '../plane.js';
import { ControlError } from '../router-types.js';
import { formationOf, objectBody } from './util.js';
import { KEY_RE, PLATFORM_VARS } from './config.js';
import { didYouMean } from '../../config/did-you-mean.js';

export function dynoRoutes(router: Router, plane: ControlPlane): void {
  router.add('GET', '/v1/ps', (req) => {
    const app = req.query.get('app');
    if (app) formationOf(plane, app);
    return plane.runtime.dynos().filter((d) => !app || d.app === app);
  });

  // Body {"web": 2} sets a count; {"web": "+1"} or "-1" changes it by that much.
  router.add('POST', '/v1/apps/:app/scale', async (req) => {
    const f = formationOf(plane, req.params.app);
    const body = objectBody(req.body);
    const counts: Record<string, number> = {};
    for (const [type, n] of Object.entries(body)) {
      if (!f.app.processes[type]) {
        const types = Object.keys(f.app.processes).filter((t) => t !== 'release');
        const guess = didYouMean(type, types);
        throw new ControlError(400, 'unknown_process_type', `${f.app.name} has no process type ${type} (${guess ? `did you mean ${guess}? ` : ''}types: ${types.join(', ')})`);
      }
      if (type === 'release') throw new ControlError(400, 'not_scalable', 'release is a phase that runs once per release; it cannot be scaled');
      // "+N" / "-N" change the count by N (Heroku's ps:scale web+1), from the formation as it is now.
      const by = typeof n === 'string' ? /^([+-])(\d+)$/.exec(n) : null;
      const count = by ? (f.scale[type] ?? 0) + (by[1] === '+' ? 1 : -1) * Number(by[2]) : n;
      const asked = by ? `${type}${n as string}: ${type} is at ${f.scale[type] ?? 0}, and` : `${type}=${String(n)}:`;
      if (!Number.isInteger(count) || (count as number) < 0 || (count as number) > 100) throw new ControlError(400, 'bad_count', `${asked} a dyno count is a whole number from 0 to 100`);
      counts[type] = count as number;
    }
    if (Object.keys(counts).length === 0) throw new ControlError(400, 'nothing_to_scale', 'give at least one TYPE=N');
    await f.setScale(counts);
    plane.state.update((s) => {
      const formation = (s.sections.formation ??= {}) as Record<string, Record<string, number>>;
      formation[f.app.name] = { ...f.scale };
    });
    return plane.runtime.dynos().filter((d) => d.app === f.app.name);
  });

  router.add('POST', '/v1/restart', async (req) => {
    const body = objectBody(req.body);
    const app = typeof body.app === 'string' ? body.app : undefined;
    const dyno = typeof body.dyno === 'string' ? body.dyno : undefined;
    if (dyno && !app) throw new ControlError(400, 'app_required', 'name the app of the dyno with -a APP');
    const targets = app ? [formationOf(plane, app)] : [...plane.runtime.formations.values()];
    if (dyno && ![...targets[0]!.dynos.values()].some((d) => d.spec.dyno === dyno || d.spec.type === dyno)) {
      throw new ControlError(404, 'unknown_dyno', `${app} has no dyno ${dyno}; see \`spaceport ps -a ${app}\``);
    }
    const restarted = await Promise.all(targets.map(async (f) => (await f.roll(undefined, dyno)).map((d) => `${f.app.name}/${d}`)));
    return { restarted: restarted.flat() };
  });

  // Body {command, env?: {K: V} (run -e), detached?: true (run:detached: spawned here, output to the log)}.
  router.add('POST', '/v1/apps/:app/runs', async (req) => {
    const f = formationOf(plane, req.params.app);
    const body = objectBody(req.body);
    const command = typeof body.command === 'string' ? body.command : '';
    if (!command) throw new ControlError(400, 'command_required', 'give the command to run: spaceport run -a APP -- CMD...');
    const env = runEnv(body.env);
    if (!f.release) throw new ControlError(409, 'no_release', `${f.app.name} has no running release yet`);
    const r = await plane.runtime.oneOff(f.app.name, command, env, body.detached === true);
    return { dyno: r.info.dyno, cwd: r.cwd, env: r.env };
  });

  // ps:stop (Heroku's POST /apps/{app}/dynos/{dyno}/actions/stop): `run.N`, `web.1`, or a type (`web`, `run`).
  router.add('POST', '/v1/apps/:app/dynos/:dyno/stop', async (req) => {
    const f = formationOf(plane, req.params.app);
    const dyno = req.params.dyno!;
    const known = plane.runtime.dynos().some((d) => d.app === f.app.name && (d.dyno === dyno || d.type === dyno));
    if (!known) throw new ControlError(404, 'unknown_dyno', `${f.app.name} has no dyno ${dyno} running; see \`spaceport ps -a ${f.app.name}\``);
    try {
      const r = await plane.runtime.stopDyno(f.app.name, dyno);
      return { ...r, scale: r.restarted ? { ...f.scale } : undefined };
    } catch (err) {
      throw new ControlError(409, 'cannot_stop', (err as Error).message);
    }
  });

  router.add('POST', '/v1/apps/:app/runs/:dyno/started', (req) => {
    const pid = objectBody(req.body).pid;
    if (typeof pid !== 'number') throw new ControlError(400, 'bad_pid', 'pid must be a number');
    try {
      plane.runtime.runs.started(req.params.app!, req.params.dyno!, pid);
    } catch (err) {
      throw new ControlError(404, 'unknown_dyno', (err as Error).message);
    }
    return { ok: true };
  });

  router.add('POST', '/v1/apps/:app/runs/:dyno/exited', (req) => {
    const status = objectBody(req.body).status;
    try {
      plane.runtime.runs.finished(req.params.app!, req.params.dyno!, typeof status === 'number' ? status : 1);
    } catch (err) {
      throw new ControlError(404, 'unknown_dyno', (err as Error).message);
    }
    return { ok: true };
  });
}

/** A run's own vars (run -e): names as config vars take them; the platform's variables are not theirs to set. */
function runEnv(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ControlError(400, 'bad_env', 'env must be an object of name: value');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!KEY_RE.test(k)) throw new ControlError(400, 'bad_env', `${k}: variable names are letters, digits and _, not starting with a digit`);
    if (PLATFORM_VARS.includes(k)) throw new ControlError(400, 'platform_var', `${k} is set by the platform for every dyno; -e cannot override it`);
    if (typeof v !== 'string') throw new ControlError(400, 'bad_env', `${k}: the value must be a string`);
    env[k] = v;
  }
  return env;
}

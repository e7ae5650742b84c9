/**
 * Add-on attachments of a running app: when apply changes which add-ons an app attaches (or an add-on
 * starts or stops), the app's dynos need new env vars (DATABASE_URL, KAFKA_URL, <AS>_URL). Those come from
 * the platform services, not from config vars, so such a change is its own release ("Attach db"), rolled
 * like any other. A renamed add-on whose URL is unchanged needs none.
 */
import type { ResolvedApp } from '../config/load.js';
import type { ControlPlane } from '../control/plane.js';
import type { AppFormation } from '../runtime/formation.js';

const addonNames = (app: ResolvedApp) => app.addons.map((a) => (typeof a === 'string' ? a : a.name));

/** The env vars the running services give `app`. */
export function servicesEnv(plane: ControlPlane, app: ResolvedApp): Record<string, string> {
  return Object.assign({}, ...plane.services.map((s) => s.envFor?.(app) ?? {})) as Record<string, string>;
}

/**
 * The description of the release `app`'s dynos need because their add-on vars differ from what the services
 * give now (`before`: the app's definition they run), or undefined when they are current.
 */
export function attachmentRelease(plane: ControlPlane, f: AppFormation, before: ResolvedApp, app: ResolvedApp): string | undefined {
  const dyno = [...f.dynos.values()][0];
  if (!dyno) return undefined; // nothing runs: the next dyno to boot gets the current vars
  const running = dyno.spec.env;
  const want = servicesEnv(plane, app);
  const keys = new Set([...Object.keys(want), ...Object.keys(servicesEnv(plane, before))]);
  const config = f.release?.config ?? {};
  // A var no service gives any more may still be a config var of the release: then it stays.
  const changed = [...keys].filter((k) => want[k] !== running[k] && !(want[k] === undefined && config[k] === running[k]));
  if (changed.length === 0) return undefined;
  const was = addonNames(before);
  const now = addonNames(app);
  const parts = [
    ...now.filter((a) => !was.includes(a)).map((a) => `Attach ${a}`),
    ...was.filter((a) => !now.includes(a)).map((a) => `Detach ${a}`),
  ];
  return `${parts.length ? parts.join(', ') : 'Update add-on vars'} (${changed.sort().join(', ')})`;
}

/** The vars whose values differ between two env maps of an app's add-ons (sorted), for a release's description. */
export function changedVars(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]).sort();
}

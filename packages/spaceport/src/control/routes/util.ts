/** Request checks shared by the routes: a known app, a JSON object body. */
import { ControlError } from '../router-types.js';
import type { ControlPlane } from '../plane.js';
import type { AppFormation } from '../../runtime/formation.js';
import { didYouMean } from '../../config/did-you-mean.js';

export function formationOf(plane: ControlPlane, app: string | null | undefined): AppFormation {
  if (!app) throw new ControlError(400, 'app_required', 'name the app with -a APP');
  const f = plane.runtime.formations.get(app);
  if (!f) {
    const names = [...plane.runtime.formations.keys()];
    const guess = didYouMean(app, names);
    const hint = guess ? `did you mean ${guess}?` : `apps: ${names.join(', ') || 'none'}`;
    throw new ControlError(404, 'unknown_app', `no app named ${app} in this space; ${hint}`);
  }
  return f;
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ControlError(400, 'bad_body', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

/**
 * Add-ons started and stopped in a running space (by `apply`), through the add-on factories' `addon` and
 * `forget`: the control plane still knows no subsystem by name. A started add-on joins the plane's services,
 * so apps get its env vars (DATABASE_URL, KAFKA_URL) at their next release and `down` stops it.
 */
import type { Space } from '../config/load.js';
import type { ControlPlane } from './plane.js';
import type { PlatformService } from './service.js';
import { serviceFactories } from './services.js';

/** Starts add-on `name` of `space`; resolves once it serves. Rejects (leaving nothing behind) when it cannot. */
export async function startAddon(plane: ControlPlane, space: Space, name: string): Promise<PlatformService> {
  const full = `addons.${name}`;
  if (plane.services.some((s) => s.name === full)) throw new Error(`${full} already runs`);
  const ctx = plane.contextFor(space);
  for (const factory of serviceFactories) {
    const svc = factory.addon?.(ctx, name);
    if (!svc) continue;
    plane.services.push(svc);
    try {
      await svc.start();
    } catch (err) {
      plane.services = plane.services.filter((s) => s !== svc);
      factory.forget?.(ctx, name);
      throw err;
    }
    return svc;
  }
  throw new Error(`${full} is not an add-on of a type this platform runs (postgres, kafka)`);
}

/** Stops add-on `name` and forgets it (its data stays on disk); false when it did not run. */
export async function stopAddon(plane: ControlPlane, name: string): Promise<boolean> {
  const full = `addons.${name}`;
  const svc = plane.services.find((s) => s.name === full);
  if (!svc) return false;
  await svc.stop();
  plane.services = plane.services.filter((s) => s !== svc);
  const ctx = plane.contextFor(plane.space);
  for (const factory of serviceFactories) factory.forget?.(ctx, name);
  return true;
}

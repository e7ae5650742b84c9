/**
 * The ServiceFactory of one add-on type (postgres, kafka): a service per `addons.<name>` of that type, and the
 * control API routes that serve them all (`pg:*`, `topics`). The routes read a registry of the add-ons' services,
 * one per control API, registered with it the first time (even with no add-on of the type: the routes then say
 * why), so an add-on that `apply` starts in a running space (`addon`) is served by the same routes, and one that
 * stopped for good (`forget`) leaves them.
 */
import type { AddonConfig } from '../config/schema.js';
import type { ControlRouter } from './router-types.js';
import type { PlatformService, ServiceContext, ServiceFactory } from './service.js';

export type AddonOfType<T extends AddonConfig['type']> = Extract<AddonConfig, { type: T }>;

export function addonServices<T extends AddonConfig['type'], S extends PlatformService>(
  type: T,
  make: (ctx: ServiceContext, name: string, addon: AddonOfType<T>) => S,
  routes: (ctx: ServiceContext, services: Map<string, S>) => void,
): ServiceFactory {
  const registries = new WeakMap<ControlRouter, Map<string, S>>();
  const registry = (ctx: ServiceContext): Map<string, S> => {
    let services = registries.get(ctx.control);
    if (!services) {
      services = new Map();
      registries.set(ctx.control, services);
      routes(ctx, services);
    }
    return services;
  };
  const build = (ctx: ServiceContext, name: string): S | undefined => {
    const addon = ctx.space.config.addons[name];
    if (addon?.type !== type) return undefined;
    const svc = make(ctx, name, addon as AddonOfType<T>);
    registry(ctx).set(name, svc);
    return svc;
  };
  return Object.assign(
    (ctx: ServiceContext): PlatformService[] => {
      registry(ctx);
      return Object.keys(ctx.space.config.addons).flatMap((name) => build(ctx, name) ?? []);
    },
    {
      addon: (ctx: ServiceContext, name: string) => build(ctx, name),
      forget: (ctx: ServiceContext, name: string) => void registry(ctx).delete(name),
    },
  );
}

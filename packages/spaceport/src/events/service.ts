/**
 * The Kafka add-on's ServiceFactory: one service per `addons.<name>` of type kafka — the embedded broker, or
 * an external cluster with `url:` — and the control API routes behind `spaceport topics*` / `groups`. One
 * registry per control API, so an add-on that `apply` starts in a running space is served by the same routes.
 */
import type { ControlRouter } from '../control/router-types.js';
import type { PlatformService, ServiceContext, ServiceFactory } from '../control/service.js';
import { EmbeddedBroker } from './embedded.js';
import { ExternalKafka } from './external.js';
import { registerTopicRoutes } from './routes.js';

const registries = new WeakMap<ControlRouter, Map<string, EmbeddedBroker | ExternalKafka>>();

/** The add-ons the routes know, registering the routes the first time (even with none: `topics` then says why). */
function registry(ctx: ServiceContext): Map<string, EmbeddedBroker | ExternalKafka> {
  let services = registries.get(ctx.control);
  if (!services) {
    services = new Map();
    registries.set(ctx.control, services);
    registerTopicRoutes(ctx, services);
  }
  return services;
}

function build(ctx: ServiceContext, name: string): EmbeddedBroker | ExternalKafka | undefined {
  const addon = ctx.space.config.addons[name];
  if (addon?.type !== 'kafka') return undefined;
  const svc = addon.url ? new ExternalKafka(name, addon.url) : new EmbeddedBroker(ctx, name, addon);
  registry(ctx).set(name, svc);
  return svc;
}

export const kafkaServices: ServiceFactory = Object.assign(
  (ctx: ServiceContext): PlatformService[] => {
    registry(ctx);
    return Object.keys(ctx.space.config.addons).flatMap((name) => build(ctx, name) ?? []) as PlatformService[];
  },
  {
    addon: (ctx: ServiceContext, name: string) => build(ctx, name) as PlatformService | undefined,
    forget: (ctx: ServiceContext, name: string) => void registry(ctx).delete(name),
  },
);

/**
 * The Postgres add-on's ServiceFactory: one service per `addons.<name>` of type postgres, embedded or
 * external (`url:`), and the control API routes behind `spaceport pg:*`. One registry per control API, so
 * an add-on that `apply` starts in a running space is served by the same routes.
 */
import type { ControlRouter } from '../../control/router-types.js';
import type { PlatformService, ServiceContext, ServiceFactory } from '../../control/service.js';
import { EmbeddedPostgres } from './embedded.js';
import { ExternalPostgres } from './external.js';
import { registerPgRoutes } from './routes.js';

export type PostgresService = EmbeddedPostgres | ExternalPostgres;

const registries = new WeakMap<ControlRouter, Map<string, PostgresService>>();

/** The add-ons the routes know, registering the routes the first time (even with none: `pg:*` then says why). */
function registry(ctx: ServiceContext): Map<string, PostgresService> {
  let services = registries.get(ctx.control);
  if (!services) {
    services = new Map();
    registries.set(ctx.control, services);
    registerPgRoutes(ctx, services);
  }
  return services;
}

function build(ctx: ServiceContext, name: string): PostgresService | undefined {
  const addon = ctx.space.config.addons[name];
  if (addon?.type !== 'postgres') return undefined;
  const svc = addon.url ? new ExternalPostgres(ctx, name, addon.url) : new EmbeddedPostgres(ctx, name);
  registry(ctx).set(name, svc);
  return svc;
}

export const postgresServices: ServiceFactory = Object.assign(
  (ctx: ServiceContext): PlatformService[] => {
    registry(ctx);
    return Object.keys(ctx.space.config.addons).flatMap((name) => build(ctx, name) ?? []) as PlatformService[];
  },
  {
    addon: (ctx: ServiceContext, name: string) => build(ctx, name) as PlatformService | undefined,
    forget: (ctx: ServiceContext, name: string) => void registry(ctx).delete(name),
  },
);

/**
 * The Postgres add-on's ServiceFactory: one service per `addons.<name>` of type postgres, embedded or
 * external (`url:`), and the control API routes behind `spaceport pg:*`.
 */
import type { PlatformService, ServiceFactory } from '../../control/service.js';
import { EmbeddedPostgres } from './embedded.js';
import { ExternalPostgres } from './external.js';
import { registerPgRoutes } from './routes.js';

export type PostgresService = EmbeddedPostgres | ExternalPostgres;

export const postgresServices: ServiceFactory = (ctx) => {
  const services = new Map<string, PostgresService>();
  for (const [name, addon] of Object.entries(ctx.space.config.addons)) {
    if (addon.type !== 'postgres') continue;
    services.set(name, addon.url ? new ExternalPostgres(ctx, name, addon.url) : new EmbeddedPostgres(ctx, name));
  }
  // Registered even without a Postgres add-on, so `pg:*` answers with a clear error instead of a 404.
  registerPgRoutes(ctx, services);
  return [...services.values()] as PlatformService[];
};

/**
 * The Postgres add-on's ServiceFactory: one service per `addons.<name>` of type postgres, embedded or
 * external (`url:`), and the control API routes behind `spaceport pg:*` (control/addon-services.ts: one
 * registry per control API, so an add-on that `apply` starts in a running space is served by the same routes).
 */
import { addonServices } from '../../control/addon-services.js';
import { EmbeddedPostgres } from './embedded.js';
import { ExternalPostgres } from './external.js';
import { registerPgRoutes } from './routes.js';

export type PostgresService = EmbeddedPostgres | ExternalPostgres;

export const postgresServices = addonServices(
  'postgres',
  (ctx, name, addon): PostgresService => (addon.url ? new ExternalPostgres(ctx, name, addon.url) : new EmbeddedPostgres(ctx, name)),
  registerPgRoutes,
);

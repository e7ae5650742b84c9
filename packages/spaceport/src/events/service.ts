/**
 * The Kafka add-on's ServiceFactory: one service per `addons.<name>` of type kafka — the embedded broker, or
 * an external cluster with `url:` — and the control API routes behind `spaceport topics*` / `groups`
 * (control/addon-services.ts: one registry per control API, so an add-on that `apply` starts in a running space
 * is served by the same routes).
 */
import { addonServices } from '../control/addon-services.js';
import { EmbeddedBroker } from './embedded.js';
import { ExternalKafka } from './external.js';
import { registerTopicRoutes } from './routes.js';

export const kafkaServices = addonServices(
  'kafka',
  (ctx, name, addon): EmbeddedBroker | ExternalKafka => (addon.url ? new ExternalKafka(name, addon.url) : new EmbeddedBroker(ctx, name, addon)),
  registerTopicRoutes,
);

/**
 * The Kafka add-on's ServiceFactory: one service per `addons.<name>` of type kafka — the embedded broker, or
 * an external cluster with `url:` — and the control API routes behind `spaceport topics*` / `groups`.
 */
import type { PlatformService, ServiceFactory } from '../control/service.js';
import { EmbeddedBroker } from './embedded.js';
import { ExternalKafka } from './external.js';
import { registerTopicRoutes } from './routes.js';

export const kafkaServices: ServiceFactory = (ctx) => {
  const services = new Map<string, EmbeddedBroker | ExternalKafka>();
  for (const [name, addon] of Object.entries(ctx.space.config.addons)) {
    if (addon.type !== 'kafka') continue;
    services.set(name, addon.url ? new ExternalKafka(name, addon.url) : new EmbeddedBroker(ctx, name, addon));
  }
  // Registered even without a Kafka add-on, so `spaceport topics` answers with a clear error instead of a 404.
  registerTopicRoutes(ctx, services);
  return [...services.values()] as PlatformService[];
};

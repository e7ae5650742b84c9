/**
 * The platform services of a space, as factories, in start order: add-ons first, then the gateway.
 * Each subsystem appends ONE line here; the control plane knows no subsystem by name.
 */
import type { ServiceFactory } from './service.js';
import { postgresServices } from '../addons/postgres/service.js';
import { kafkaServices } from '../events/service.js';
import { gatewayServices } from '../gateway/service.js';
import { lifecycleServices } from '../plan/service.js';

export const serviceFactories: ServiceFactory[] = [
  lifecycleServices, // first: renames moved add-ons (with their data) before they start, records the baseline
  postgresServices,
  kafkaServices,
  gatewayServices,
];

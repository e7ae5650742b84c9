/** correlation-id: adds an id header upstream unless the client sent one; optionally echoes it to the client. */
import { randomUUID } from 'node:crypto';
import type { PluginFactory } from '../types.js';
import type { CorrelationIdConfig } from './schema.js';

export const create: PluginFactory<CorrelationIdConfig> = (config) => {
  const base = randomUUID();
  let counter = 0;
  const next =
    config.generator === 'uuid'
      ? () => randomUUID()
      : config.generator === 'uuid#counter'
        ? () => `${base}#${++counter}`
        : () => `${process.pid}-${Date.now()}-${++counter}`;
  return {
    name: 'correlation-id',
    priority: 100001,
    access(ctx) {
      let id = ctx.request.header(config.header_name);
      if (id === undefined || id === '') {
        id = next();
        ctx.request.setHeader(config.header_name, id);
      }
      if (config.echo_downstream) ctx.response.setHeader(config.header_name, id);
    },
  };
};

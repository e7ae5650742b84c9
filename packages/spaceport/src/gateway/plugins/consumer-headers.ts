/** Shared by auth plugins: marks the consumer on the context and tells the upstream who it is, as Kong does. */
import type { PluginConsumer, PluginContext } from './types.js';

export function authenticate(ctx: PluginContext, consumer: PluginConsumer, credential: string | undefined, anonymous: boolean): void {
  ctx.consumer = consumer;
  ctx.credential = credential;
  ctx.request.setHeader('X-Consumer-ID', consumer.id);
  ctx.request.setHeader('X-Consumer-Username', consumer.username);
  if (credential !== undefined) ctx.request.setHeader('X-Credential-Identifier', credential);
  if (anonymous) ctx.request.setHeader('X-Anonymous-Consumer', 'true');
  else ctx.request.removeHeader('X-Anonymous-Consumer');
}

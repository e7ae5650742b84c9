/** Which env vars an app gets from a Kafka add-on: KAFKA_URL, or <AS>_URL for `{ name, as }` attachments. */
import type { ResolvedApp } from '../config/load.js';

/** Env for `app`: each of its attachments of `addon` set to `url` (nothing when it does not attach it). */
export function kafkaEnvFor(app: ResolvedApp, addon: string, url: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const att of app.addons) {
    if (typeof att === 'string') {
      if (att === addon) env.KAFKA_URL = url;
    } else if (att.name === addon) env[`${att.as}_URL`] = url;
  }
  return env;
}

export function attaches(app: ResolvedApp, addon: string): boolean {
  return app.addons.some((att) => (typeof att === 'string' ? att === addon : att.name === addon));
}

/** Which env vars an app gets from a Postgres add-on: DATABASE_URL, or <AS>_URL for `{ name, as }` attachments. */
import type { ResolvedApp } from '../../config/load.js';

/** The variables `app` gets from add-on `addon` (none when it does not attach it). */
export function attachmentVars(app: ResolvedApp, addon: string): string[] {
  const vars: string[] = [];
  for (const att of app.addons) {
    if (typeof att === 'string') {
      if (att === addon) vars.push('DATABASE_URL');
    } else if (att.name === addon) {
      vars.push(`${att.as}_URL`);
    }
  }
  return vars;
}

/** Env for `app`: each of its attachment variables set to `url`. */
export function envForAttachments(app: ResolvedApp, addon: string, url: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of attachmentVars(app, addon)) env[v] = url;
  return env;
}

/**
 * How the add-on provider compares an external add-on's `url:` without ever showing or storing its password:
 * the URL with the password masked, plus an HMAC-SHA256 of the whole URL keyed by the space's internal key
 * (256 bits, in state, never printed), so a password change is seen while neither the plan, its JSON nor
 * state can be used to guess the password offline. The CLI and the control plane both hold the key.
 */
import { createHmac } from 'node:crypto';
import { maskUrl } from './mask.js';

export interface AddonUrl {
  /** The URL with its password masked; null for an embedded add-on (its URL is the platform's). */
  url: string | null;
  /** HMAC of the full URL when it carries a password; null otherwise. Shown as (sensitive) in plans. */
  password: string | null;
}

export function addonUrl(raw: string | undefined, key: string): AddonUrl {
  if (!raw) return { url: null, password: null };
  let hasPassword = false;
  try {
    hasPassword = new URL(raw).password !== '';
  } catch {
    // not a URL: config validation reports it; compared as written (masked)
  }
  return { url: maskUrl(raw), password: hasPassword ? createHmac('sha256', key).update(raw).digest('hex').slice(0, 16) : null };
}

/** The internal-key check, from Spaceport's app-side helper (@spaceport/internal-auth); it fails closed. */
import type { IncomingMessage } from 'node:http';
import { isInternal } from '@spaceport/internal-auth';

if (!process.env.INTERNAL_API_KEY) {
  console.log('INTERNAL_API_KEY is not set: every request gets 401. Run this app with `spaceport up`, which sets it.');
}

/** True when the request came through the platform (gateway or internal router), which adds X-Internal-API-Key. */
export function isInternalRequest(req: IncomingMessage): boolean {
  try {
    return isInternal(req.headers);
  } catch {
    return false; // no key configured
  }
}

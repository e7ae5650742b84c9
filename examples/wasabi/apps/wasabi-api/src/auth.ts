/** The internal-key check, from Spaceport's tiny app-side helper. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// TODO: replace with @spaceport/internal-auth once its API is committed.
export function isInternalRequest(req: IncomingMessage): boolean {
  const want = process.env.INTERNAL_API_KEY ?? '';
  const got = req.headers['x-internal-api-key'];
  if (!want || typeof got !== 'string') return false;
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

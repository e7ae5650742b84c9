/**
 * Request ids in Heroku's format (a UUID), made cheaply: a random per-process prefix and a counter in the
 * last 12 hex digits. Unique within a worker by the counter and across workers and restarts by the
 * prefix (70 random bits); randomUUID per request cost more than the rest of the id logic together.
 */
import { randomUUID } from 'node:crypto';

let prefix = randomUUID().slice(0, 24);
let n = 0;
const LIMIT = 2 ** 48;

export function nextRequestId(): string {
  if (++n >= LIMIT) {
    prefix = randomUUID().slice(0, 24);
    n = 1;
  }
  const hex = n.toString(16);
  return prefix + '000000000000'.slice(hex.length) + hex;
}

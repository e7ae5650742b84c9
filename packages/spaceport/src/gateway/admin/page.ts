/**
 * Kong's pagination of list endpoints: `?size=N` (1-1000) and `?offset=` from the previous page. A page with more
 * after it carries `offset` and `next` (`/routes?offset=...&size=N`, so following `next` keeps the page size); the
 * last has `next: null`. Before, `size` and `offset` were ignored and every list came whole with `next: null`.
 * Without either, the list still comes whole (Kong would page at 100): `plan` reads the lists in one request,
 * and a client that follows `next` gets the same entities either way.
 */
import { AdminError } from './errors.js';

const MAX_SIZE = 1000;

export interface Page {
  data: unknown[];
  offset?: string;
  next: string | null;
}

/** The offset names the position of the next page's first entity (opaque to clients, as Kong's is). */
const encode = (start: number): string => Buffer.from(`spaceport:${start}`).toString('base64url');

function decode(offset: string): number | undefined {
  const m = /^spaceport:(\d{1,9})$/.exec(Buffer.from(offset, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export function page(all: unknown[], url: URL): Page {
  const sizeArg = url.searchParams.get('size');
  let size = Infinity;
  if (sizeArg !== null) {
    size = /^\d+$/.test(sizeArg) ? Number(sizeArg) : NaN;
    if (!(size >= 1 && size <= MAX_SIZE)) throw new AdminError(400, `size must be an integer between 1 and ${MAX_SIZE}`, { code: 9, name: 'invalid size' });
  }
  const offsetArg = url.searchParams.get('offset');
  let start = 0;
  if (offsetArg !== null) {
    const at = decode(offsetArg);
    if (at === undefined) {
      throw new AdminError(400, `'${offsetArg}' is not a valid offset: pass the offset a previous page returned (or follow its next), or leave it out for the first page`, { code: 7, name: 'invalid offset' });
    }
    start = at;
  }
  const data = all.slice(start, start + size);
  if (start + size >= all.length) return { data, next: null };
  const offset = encode(start + size);
  return { data, offset, next: `${url.pathname}?offset=${encodeURIComponent(offset)}&size=${size}` };
}

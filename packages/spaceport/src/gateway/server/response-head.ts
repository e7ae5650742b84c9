/**
 * Pieces of response heads, cached: status lines by code and the Date header by second, so writing a
 * head costs a few string concatenations and one socket write.
 */
import { STATUS_CODES } from 'node:http';

const lines = new Map<number, string>();

/** "HTTP/1.1 200 OK\r\n" (the version is always 1.1: RFC 9110 §6.2, a server sends its own version). */
export function statusLine(status: number): string {
  let l = lines.get(status);
  if (l === undefined) {
    l = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
    if (lines.size < 1000) lines.set(status, l);
  }
  return l;
}

export function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

let dateSecond = 0;
let dateLine = '';

/** "Date: <IMF-fixdate>\r\n" for the current second. */
export function dateHeader(now: number): string {
  const s = Math.floor(now / 1000);
  if (s !== dateSecond) {
    dateSecond = s;
    dateLine = `Date: ${new Date(s * 1000).toUTCString()}\r\n`;
  }
  return dateLine;
}

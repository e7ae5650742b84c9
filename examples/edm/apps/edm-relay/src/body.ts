/** Reading a JSON request body with a size limit; each failure maps to the status and message a client can act on. */
import type { IncomingMessage } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The relay's own limit; the gateway's request-size-limiting usually answers 413 before a body gets here. */
export const MAX_BODY_BYTES = 256 * 1024;

export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // text/plain is what navigator.sendBeacon sends; it carries JSON all the same.
  if (type !== 'application/json' && type !== 'text/plain') {
    throw new HttpError(415, 'unsupported_media_type', `send JSON with Content-Type: application/json (got "${type || 'none'}")`);
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'body_too_large', `the body is ${declared} bytes: send at most ${limit}`);
  const text = await readText(req, limit);
  if (text.trim() === '') throw new HttpError(400, 'bad_json', 'the body is empty: send one event or an array of events as JSON', 'body');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpError(400, 'bad_json', `the body is not valid JSON (${(e as Error).message})`, 'body');
  }
}

/** The body as text, with plain stream events (no async iterator per request: this runs a thousand times a second). */
function readText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(new HttpError(413, 'body_too_large', `the body is over ${limit} bytes: send at most ${limit}`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

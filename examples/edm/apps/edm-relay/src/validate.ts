/**
 * What an event is, and the rules that accept or reject one. The relay is the only gate into the topics, so every
 * rule lives here: a rejected event names the field at fault and what a good value looks like.
 */
import { randomUUID } from 'node:crypto';

export const EVENT_TYPES = ['click', 'pageload'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An event as it travels through the topics (JSON value, keyed by product). */
export interface EdmEvent {
  id: string;
  type: EventType;
  product: string;
  /** When it happened, epoch ms (the client's clock if it sent `at`, else the relay's). */
  at: number;
  session?: string;
  /** When the relay accepted it, epoch ms. */
  relayedAt: number;
}

export interface FieldError {
  /** Path of the field at fault, such as `product` or `[3].type`. */
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; error: FieldError };

const FIELDS = new Set(['type', 'product', 'at', 'session']);
const PRODUCT_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** One request carries at most this many events, so one slow batch cannot hold the producer for long. */
export const MAX_BATCH = 500;

/** Checks one event; `impliedType` is the type fixed by the path (/produceClickMessage), if any. */
export function validateEvent(input: unknown, prefix = '', impliedType?: EventType, now = Date.now()): Validated<EdmEvent> {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const fail = (field: string, message: string): Validated<EdmEvent> => ({ ok: false, error: { field, message } });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(prefix || 'body', 'an event is a JSON object like {"type": "click", "product": "p-001"}');
  }
  const o = input as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!FIELDS.has(key)) return fail(at(key), `unknown field "${key}": an event has type, product, at and session`);
  }
  let type: EventType;
  if (o.type === undefined) {
    if (!impliedType) return fail(at('type'), 'required: "click" or "pageload"');
    type = impliedType;
  } else if (typeof o.type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(o.type)) {
    return fail(at('type'), `must be "click" or "pageload", got ${JSON.stringify(o.type)}`);
  } else if (impliedType && o.type !== impliedType) {
    return fail(at('type'), `this path takes "${impliedType}" events, got "${o.type}": post other types to /events`);
  } else {
    type = o.type as EventType;
  }
  if (o.product === undefined) return fail(at('product'), 'required: a product id such as "p-001"');
  if (typeof o.product !== 'string' || !PRODUCT_RE.test(o.product)) {
    return fail(at('product'), 'must be a product id of 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  let when = now;
  if (o.at !== undefined) {
    const t = typeof o.at === 'number' ? o.at : typeof o.at === 'string' ? Date.parse(o.at) : NaN;
    if (!Number.isFinite(t) || t < 946684800000 || t > now + 86_400_000) {
      return fail(at('at'), 'must be a time: epoch milliseconds or an ISO 8601 string, not in the future');
    }
    when = Math.trunc(t);
  }
  if (o.session !== undefined && (typeof o.session !== 'string' || o.session.length === 0 || o.session.length > 128)) {
    return fail(at('session'), 'must be a string of 1-128 characters');
  }
  const event: EdmEvent = { id: randomUUID(), type, product: o.product, at: when, relayedAt: now };
  if (typeof o.session === 'string') event.session = o.session;
  return { ok: true, value: event };
}

/** Checks a body of one event or an array of events; all or nothing, so a client never has to guess what landed. */
export function validateBody(body: unknown, impliedType?: EventType, now = Date.now()): Validated<EdmEvent[]> {
  if (!Array.isArray(body)) {
    const one = validateEvent(body, '', impliedType, now);
    return one.ok ? { ok: true, value: [one.value] } : one;
  }
  if (body.length === 0) return { ok: false, error: { field: 'body', message: 'an empty array: send at least one event' } };
  if (body.length > MAX_BATCH) {
    return { ok: false, error: { field: 'body', message: `${body.length} events in one request: send at most ${MAX_BATCH}` } };
  }
  const events: EdmEvent[] = [];
  for (let i = 0; i < body.length; i++) {
    const r = validateEvent(body[i], `[${i}]`, impliedType, now);
    if (!r.ok) return r;
    events.push(r.value);
  }
  return { ok: true, value: events };
}

/** The topic an event type goes to, as in Heroku's reference architecture. */
export function topicOf(type: EventType): string {
  return type === 'click' ? 'edm-ui-click' : 'edm-ui-pageload';
}

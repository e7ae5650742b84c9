/**
 * Admin API errors in Kong's shape: `{code, name, message, fields?}` (kong/db/errors.lua), so Kong tooling that
 * reads `name` or `fields` works; the message also says what to do. Errors without a Kong code send `{message}`.
 */
export interface KongError {
  code: number;
  name: string;
  fields?: Record<string, unknown>;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kong?: KongError,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return this.kong ? { code: this.kong.code, name: this.kong.name, message: this.message, ...(this.kong.fields ? { fields: this.kong.fields } : {}) } : { message: this.message };
  }
}

/** `a.b` → `{a: {b: why}}`, as Kong nests the fields of a record (`config.minute`). */
function nest(fields: [string, string][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, why] of fields) {
    const keys = path.split('.');
    let at = out;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[keys.at(-1)!] = why;
  }
  return out;
}

/** Kong's schema violation (400, code 2): `schema violation (retries: ...)`, or `N schema violations (...; ...)`. */
export function schemaViolation(...fields: [string, string][]): AdminError {
  const list = fields.map(([f, why]) => `${f}: ${why}`).join('; ');
  const message = fields.length === 1 ? `schema violation (${list})` : `${fields.length} schema violations (${list})`;
  return new AdminError(400, message, { code: 2, name: 'schema violation', fields: nest(fields) });
}

/** Kong's unique violation (409, code 5), with what to do instead. */
export function uniqueViolation(field: string, value: string, hint: string): AdminError {
  return new AdminError(409, `UNIQUE violation detected on '{${field}="${value}"}': ${hint}`, { code: 5, name: 'unique constraint violation', fields: { [field]: value } });
}

/**
 * Secret masking for plan output. Rule: a value is sensitive when any key on its path looks like a secret
 * (password, secret, token, *_KEY, keys, credentials...), or when a provider says so; a URL's password is
 * always hidden. Plans are pasted into tickets and CI logs: they must never carry a secret.
 */
export const MASK = '(sensitive)';

const SECRET_NAME = /pass(word|wd|phrase)?$|passw|secret|token|api_?key|private_?key|credential|^keys?$|_key$|^dsn$|salt/i;

/** Whether a key (a config var name, an attribute name) looks like it holds a secret. */
export function looksSecret(key: string): boolean {
  return SECRET_NAME.test(key);
}

const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]+)(@)/i;

/** A string with the password of an embedded URL (`postgres://u:pw@host`) replaced. */
export function maskUrl(s: string): string {
  return s.replace(URL_PASSWORD, (_m, a: string, _pw: string, c: string) => `${a}***${c}`);
}

/** A copy of `value` with every sensitive leaf replaced by MASK. */
export function maskValue(value: unknown, extra?: (path: string[]) => boolean, path: string[] = []): unknown {
  if (value === undefined) return undefined;
  const key = path[path.length - 1];
  if (key !== undefined && (looksSecret(key) || extra?.(path))) return MASK;
  if (Array.isArray(value)) return value.map((v, i) => maskValue(v, extra, [...path, String(i)]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, extra, [...path, k]);
    return out;
  }
  return typeof value === 'string' ? maskUrl(value) : value;
}

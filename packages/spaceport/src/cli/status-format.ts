/**
 * One line per platform service in `spaceport status`: what a user looks for (state, addresses, version,
 * problems), not every counter the service reports. `status --json` keeps all of them.
 */

/** Fields shown, in this order; any other field is left to --json. */
const SHOWN = ['state', 'type', 'embedded', 'version', 'listen', 'url', 'admin', 'internal', 'dataDir', 'data', 'pid', 'restarts', 'errors'];

export function serviceLine(name: string, st: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  for (const key of SHOWN) {
    const v = st[key];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (key === 'embedded') {
      parts.push(v ? 'embedded' : 'external');
    } else if (key === 'restarts') {
      if (v !== 0) parts.push(`restarts ${String(v)}`);
    } else if (key === 'state' || key === 'type') {
      parts.push(String(v));
    } else if (Array.isArray(v)) {
      parts.push(`${key}: ${v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('; ')}`);
    } else if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k} ${String(x)}`);
      if (entries.length) parts.push(`${key}: ${entries.join(', ')}`);
    } else {
      parts.push(`${key} ${String(v)}`);
    }
  }
  return parts.length ? `${name}: ${parts.join(', ')}` : undefined;
}

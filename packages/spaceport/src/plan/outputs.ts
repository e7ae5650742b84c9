/**
 * `outputs:` of spaceport.yaml, resolved at apply and kept in state (so `spaceport output` answers even
 * when the space is down). References: `${gateway.url}`, `${gateway.admin_url}`, `${apps.<app>.url}`
 * (the default public route `<app>.localhost`), `${apps.<app>.internal_url}`.
 */
import type { Space } from '../config/load.js';
import type { OutputRecord } from '../state/schema.js';
import type { StateStore } from '../state/store.js';

export interface LiveAddresses {
  /** `http://127.0.0.1:8000` */
  gateway?: string | null;
  admin?: string | null;
  /** internal app → `http://127.0.0.1:<port>` */
  internal?: Record<string, string>;
}

const REF = /\$\{([a-z0-9_.-]+)\}/gi;

/**
 * Resolves every output; references that cannot be resolved are reported and left as written. `pending` names the
 * outputs whose references are right but have no value yet (an app apply has still to start): a plan shows those
 * as known after apply.
 */
export function resolveOutputs(space: Space, live: LiveAddresses): { outputs: Record<string, OutputRecord>; problems: string[]; pending: string[] } {
  const problems: string[] = [];
  const pending = new Set<string>();
  const known = (ref: string): boolean => {
    const parts = ref.split('.');
    if (ref === 'gateway.url' || ref === 'gateway.admin_url') return true;
    return parts[0] === 'apps' && parts.length === 3 && parts[1]! in space.config.apps && (parts[2] === 'url' || parts[2] === 'internal_url');
  };
  const lookup = (ref: string): string | undefined => {
    const parts = ref.split('.');
    if (ref === 'gateway.url') return live.gateway ?? undefined;
    if (ref === 'gateway.admin_url') return live.admin ?? undefined;
    if (parts[0] === 'apps' && parts.length === 3 && parts[1]! in space.config.apps) {
      const app = parts[1]!;
      if (parts[2] === 'internal_url') return live.internal?.[app];
      if (parts[2] === 'url' && live.gateway) {
        const u = new URL(live.gateway);
        return `${u.protocol}//${app}.localhost${u.port ? `:${u.port}` : ''}`;
      }
    }
    return undefined;
  };
  const outputs: Record<string, OutputRecord> = {};
  for (const [name, o] of Object.entries(space.config.outputs)) {
    const spec = typeof o === 'string' ? { value: o, sensitive: false, description: undefined } : o;
    const value = spec.value.replace(REF, (whole, ref: string) => {
      const v = lookup(ref);
      if (v === undefined) problems.push(`output ${name}: cannot resolve \${${ref}} (known: gateway.url, gateway.admin_url, apps.<app>.url, apps.<app>.internal_url)`);
      if (v === undefined && known(ref)) pending.add(name);
      return v ?? whole;
    });
    outputs[name] = { value, sensitive: spec.sensitive, ...(spec.description ? { description: spec.description } : {}) };
  }
  return { outputs, problems, pending: [...pending] };
}

/** The part of `GET /v1/status` that outputs read. */
export interface StatusForOutputs {
  services?: { gateway?: { listen?: string | null; admin?: string | null; internal?: Record<string, string> } };
}

/**
 * Resolves the outputs against the running space's addresses and records them in state when they changed
 * (`up` and `apply` both do, so `spaceport output` answers right after either). Returns them with any problems.
 */
export function recordOutputs(
  space: Space,
  store: StateStore,
  status: StatusForOutputs,
): { outputs: Record<string, OutputRecord>; problems: string[] } {
  const gw = status.services?.gateway;
  const resolved = resolveOutputs(space, { gateway: gw?.listen, admin: gw?.admin, internal: gw?.internal });
  const now = store.read().outputs ?? {};
  if (JSON.stringify(now) !== JSON.stringify(resolved.outputs)) store.update((x) => void (x.outputs = resolved.outputs));
  return resolved;
}

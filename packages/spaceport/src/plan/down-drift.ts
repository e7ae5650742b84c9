/**
 * What `spaceport down` loses: changes made through the gateway's admin API. The gateway starts from
 * spaceport.yaml at every `up` (as Kong in DB-less mode starts from its declarative file), so a route added with
 * `curl -X POST :8001/...` is gone after down and up. While the space runs they are drift (plan shows them, apply
 * undoes them, `plan --adopt` writes them into the file); down names them before they go, so they are not lost
 * without a word. Best effort: a space whose config or gateway cannot be read is stopped without the check.
 */
import { makePlan } from './plan.js';
import type { Change } from './types.js';

const GATEWAY_KINDS = new Set(['service', 'route', 'consumer', 'plugin']);

/** The drift of the gateway's entities (admin API changes) of the running space of `file`. */
export async function gatewayAdminChanges(file: string | undefined): Promise<Change[]> {
  const { openSession } = await import('./session.js');
  const s = await openSession(file);
  const providers = s.set.providers.filter((p) => GATEWAY_KINDS.has(p.kind));
  const plan = await makePlan(providers, s.space, s.store.read().resources, { moved: s.space.config.moved });
  return plan.changes.filter((c) => c.drift && c.action !== 'noop' && c.action !== 'move');
}

/** The warning down prints, one line per change, or undefined when there is none. */
export function downWarning(changes: readonly Change[]): string | undefined {
  if (changes.length === 0) return undefined;
  const line = (c: Change) =>
    c.action === 'delete' ? `  + ${c.address} (created through the admin API)` : c.action === 'create' ? `  - ${c.address} (deleted through the admin API)` : `  ~ ${c.address} (changed through the admin API)`;
  return [
    `Warning: the gateway has ${changes.length} change${changes.length === 1 ? '' : 's'} made through its admin API that spaceport.yaml does not have; stopping loses ${changes.length === 1 ? 'it' : 'them'} (the next \`spaceport up\` starts the gateway from the file):`,
    ...changes.map(line),
    'To keep them, write them into spaceport.yaml before stopping: `spaceport plan --adopt` (then `spaceport down`).',
  ].join('\n');
}

/** Prints the warning for the running space of `file`, if any; never fails, gives up after `ms`. */
export async function warnBeforeDown(file: string | undefined, ms = 5000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    const changes = await Promise.race([gatewayAdminChanges(file).catch(() => undefined), timeout]);
    const w = changes && downWarning(changes);
    if (w) console.error(w);
  } finally {
    clearTimeout(timer);
  }
}

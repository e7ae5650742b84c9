/**
 * What `spaceport down` loses: changes made outside spaceport.yaml that the next `up` does not bring back. `up`
 * starts the gateway from the file (as Kong in DB-less mode starts from its declarative file), so a route added
 * with `curl -X POST :8001/...` is gone after down and up; and it starts each process type at the file's `scale:`,
 * so a `spaceport scale web=3` is too (`config:set` values are kept in state and survive); and the broker applies
 * each declared topic's config from the file as it starts, so a retention a Kafka client set (AlterConfigs) goes
 * back (a topic a client created, or its records, stay: they are the broker's data). While the space runs
 * they are drift (plan shows them, apply undoes them, `plan --adopt` writes them into the file); down names them
 * before they go. Best effort: a space whose config or gateway cannot be read is stopped without the check.
 */
import { makePlan } from './plan.js';
import type { Change } from './types.js';

/** What up does not restore: the gateway's entities, the formation, declared topics' configs (config vars are kept in state). */
const LOST_KINDS = new Set(['service', 'route', 'consumer', 'plugin', 'formation', 'topic']);

/** Of a topic's drift, only a changed config is set back by up (a topic made or grown by a client stays). */
const lost = (c: Change) => c.kind !== 'topic' || c.action === 'update';

/** The drift of the running space of `file` that a down and up lose (admin API changes, scales). */
export async function lostByDown(file: string | undefined): Promise<Change[]> {
  const { openSession } = await import('./session.js');
  const s = await openSession(file);
  const providers = s.set.providers.filter((p) => LOST_KINDS.has(p.kind));
  const plan = await makePlan(providers, s.space, s.store.read().resources, { moved: s.space.config.moved });
  return plan.changes.filter((c) => c.drift && c.action !== 'noop' && c.action !== 'move' && lost(c));
}

/** The warning down prints, one line per change, or undefined when there is none. */
export function downWarning(changes: readonly Change[]): string | undefined {
  if (changes.length === 0) return undefined;
  const line = (c: Change) => {
    if (c.kind === 'formation') {
      const now = (c.before as { count?: number } | undefined)?.count ?? 0;
      const file = (c.after as { count?: number } | undefined)?.count ?? 0;
      return `  ~ ${c.address} (scaled to ${now} outside the file; up starts the file's ${file})`;
    }
    if (c.kind === 'topic') return `  ~ ${c.address} (config changed by a Kafka client; up applies the file's)`;
    return c.action === 'delete' ? `  + ${c.address} (created through the admin API)` : c.action === 'create' ? `  - ${c.address} (deleted through the admin API)` : `  ~ ${c.address} (changed through the admin API)`;
  };
  return [
    `Warning: stopping loses ${changes.length} change${changes.length === 1 ? '' : 's'} made outside spaceport.yaml (the next \`spaceport up\` starts the gateway, the formation and the topics' configs from the file):`,
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
    const changes = await Promise.race([lostByDown(file).catch(() => undefined), timeout]);
    const w = changes && downWarning(changes);
    if (w) console.error(w);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs plugin phases in priority order. `access` stays synchronous unless a plugin returns a promise;
 * it stops at the first exit. Once an auth plugin sets the consumer, plugins configured for that consumer
 * replace the same-named ones for the rest of the chain (Kong's consumer scope).
 */
import type { PluginHandler } from '../plugins/types.js';
import type { Exchange } from './exchange.js';

/** Runs `access`; returns a promise only when a plugin went asynchronous. */
export function runAccess(
  ex: Exchange,
  chain: readonly PluginHandler[],
  consumerPlugins: ReadonlyMap<string, readonly PluginHandler[]> | null,
): Promise<void> | undefined {
  let list = chain;
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    const had = ex.consumer;
    if (p.access !== undefined) {
      const r = p.access(ex);
      if (r !== undefined) return r.then(() => continueAsync(ex, list, i + 1, consumerPlugins, had));
    }
    if (ex.exit !== undefined) return undefined;
    if (ex.consumer !== had && consumerPlugins !== null) list = withConsumer(ex, list, i + 1, consumerPlugins);
  }
  return undefined;
}

async function continueAsync(
  ex: Exchange,
  chain: readonly PluginHandler[],
  from: number,
  consumerPlugins: ReadonlyMap<string, readonly PluginHandler[]> | null,
  had: Exchange['consumer'],
): Promise<void> {
  let list = chain;
  if (ex.exit !== undefined) return;
  if (ex.consumer !== had && consumerPlugins !== null) list = withConsumer(ex, list, from, consumerPlugins);
  for (let i = from; i < list.length; i++) {
    const p = list[i]!;
    const before = ex.consumer;
    if (p.access !== undefined) await p.access(ex);
    if (ex.exit !== undefined) return;
    if (ex.consumer !== before && consumerPlugins !== null) list = withConsumer(ex, list, i + 1, consumerPlugins);
  }
}

/** The chain with the consumer's plugins swapped in after position `from`; also used by response/log. */
function withConsumer(
  ex: Exchange,
  list: readonly PluginHandler[],
  from: number,
  consumerPlugins: ReadonlyMap<string, readonly PluginHandler[]>,
): readonly PluginHandler[] {
  const mine = ex.consumer === undefined ? undefined : consumerPlugins.get(ex.consumer.id);
  if (mine === undefined) return list;
  const byName = new Map(mine.map((p) => [p.name, p]));
  const head = list.slice(0, from);
  const tail = list.slice(from).filter((p) => !byName.has(p.name));
  const added = mine.filter((p) => !head.some((h) => h.name === p.name));
  const next = [...head, ...[...tail, ...added].sort((a, b) => b.priority - a.priority)];
  ex.shared.set('__chain', next);
  return next;
}

function effective(ex: Exchange, chain: readonly PluginHandler[]): readonly PluginHandler[] {
  if (ex.consumer === undefined) return chain;
  return (ex.shared.get('__chain') as readonly PluginHandler[] | undefined) ?? chain;
}

export function runResponse(ex: Exchange, chain: readonly PluginHandler[]): void {
  const list = effective(ex, chain);
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    if (p.response !== undefined) {
      try {
        p.response(ex);
      } catch (err) {
        ex.log.warn(`plugin ${p.name} failed in response: ${(err as Error).message}`);
      }
    }
  }
}

export function runLog(ex: Exchange, chain: readonly PluginHandler[]): void {
  const list = effective(ex, chain);
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    if (p.log !== undefined) {
      try {
        p.log(ex);
      } catch (err) {
        ex.log.warn(`plugin ${p.name} failed in log: ${(err as Error).message}`);
      }
    }
  }
}

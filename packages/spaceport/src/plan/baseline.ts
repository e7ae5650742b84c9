/**
 * The state `up` leaves: when a space starts, what it starts is what the file says, so every resource of
 * the file is recorded with the file's values (ids kept for addresses already known). Drift is measured
 * from this baseline until the next apply records what it changed.
 */
import type { Space } from '../config/load.js';
import type { StateStore } from '../state/store.js';
import { randomUUID } from 'node:crypto';
import { sameValue } from './canonical.js';
import { spaceProviders } from './providers/index.js';

const offline = () => Promise.reject(new Error('offline: baseline uses desired values only'));

/** Records the file's resources in state.resources; writes only when something differs. */
export function recordBaseline(space: Space, store: StateStore): number {
  const { providers } = spaceProviders({ control: offline });
  const next: Record<string, { id: string; kind: string; attributes: unknown }> = {};
  const current = store.read().resources;
  for (const p of providers) {
    for (const [address, attributes] of p.desired(space)) {
      const prev = current[address];
      next[address] = { id: prev?.id ?? randomUUID(), kind: p.kind, attributes };
    }
  }
  if (sameValue(current, next)) return 0;
  store.update((s) => {
    s.resources = next;
  });
  return Object.keys(next).length;
}

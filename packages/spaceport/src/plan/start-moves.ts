/**
 * `moved:` for add-ons: an add-on's processes are platform services, so it is renamed while the space
 * starts, before any add-on runs: its data directories (`.spaceport/postgres/<name>`, `.spaceport/events/<name>`),
 * its credentials and stable port in state, and its recorded resources move to the new name.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Space } from '../config/load.js';
import type { StateStore } from '../state/store.js';
import { rebase } from './address.js';

/** Data directories of add-ons under `.spaceport/`, and their state sections, by add-on name. */
const DATA_DIRS = ['postgres', 'events'];
const ADDON_SECTIONS = ['postgres', 'events'];

/** Renames add-ons the config moved; returns `from -> to` for each one renamed. */
export function renameAddonsAtStart(space: Space, store: StateStore): string[] {
  const done: string[] = [];
  for (const { from, to } of space.config.moved) {
    const a = /^addons\.([^.]+)$/.exec(from)?.[1];
    const b = /^addons\.([^.]+)$/.exec(to)?.[1];
    if (!a || !b || a === b || !(b in space.config.addons) || a in space.config.addons) continue;
    let moved = false;
    for (const sub of DATA_DIRS) {
      const src = join(space.stateDir, sub, a);
      const dst = join(space.stateDir, sub, b);
      if (existsSync(src) && !existsSync(dst)) {
        renameSync(src, dst);
        moved = true;
      }
    }
    const s = store.read();
    const inState =
      ADDON_SECTIONS.some((n) => isAddonEntry((s.sections[n] as Record<string, unknown> | undefined)?.[a])) ||
      Object.keys(s.ports).some((k) => k === from || k.startsWith(`${from}:`)) ||
      Object.keys(s.resources).some((k) => rebase(k, from, to) !== undefined);
    if (inState) {
      store.update((st) => {
        // Add-on sections are keyed by add-on name (sections.postgres[name]): the entry moves. Only those:
        // an app may have the add-on's old name, and its releases stay its own.
        for (const n of ADDON_SECTIONS) {
          const m = st.sections[n] as Record<string, unknown> | undefined;
          if (!m || typeof m !== 'object') continue;
          if (a in m && !(b in m) && isAddonEntry(m[a])) {
            m[b] = m[a];
            delete m[a];
          }
        }
        for (const key of Object.keys(st.ports)) {
          const next = key === from ? to : key.startsWith(`${from}:`) ? to + key.slice(from.length) : undefined;
          if (next && !(next in st.ports)) {
            st.ports[next] = st.ports[key]!;
            delete st.ports[key];
          }
        }
        for (const key of Object.keys(st.resources)) {
          const next = rebase(key, from, to);
          if (next && !(next in st.resources)) {
            st.resources[next] = st.resources[key]!;
            delete st.resources[key];
          }
        }
      });
      moved = true;
    }
    if (moved) done.push(`${from} -> ${to}`);
  }
  return done;
}

/** Entries of add-on sections are records (credentials and the like), not lists such as releases. */
function isAddonEntry(v: unknown): boolean {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}

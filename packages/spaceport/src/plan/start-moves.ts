/**
 * `moved:` applied while the space starts, before anything runs. An add-on's processes are platform
 * services, so it is renamed here: its data directories (`.spaceport/postgres/<name>`, `.spaceport/events/<name>`),
 * credentials and stable port in state, and recorded resources move to the new name. An app renamed in the
 * file while the space was down is renamed here too (releases, config:set values, scale, kept builds,
 * records), so `up` boots it with its history instead of as a new app; a renamed topic of an embedded broker
 * takes its records with it.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Space } from '../config/load.js';
import type { StateStore } from '../state/store.js';
import { rebase } from './address.js';

/** Data directories of add-ons under `.spaceport/`, and their state sections, by add-on name. */
const DATA_DIRS = ['postgres', 'events'];
const ADDON_SECTIONS = ['postgres', 'events'];

/** Renames apps and add-ons the config moved; returns `from -> to` for each one renamed. */
export function applyMovesAtStart(space: Space, store: StateStore): string[] {
  const done: string[] = [];
  for (const { from, to } of space.config.moved) {
    if (renameApp(space, store, from, to)) done.push(`${from} -> ${to}`);
    if (renameTopicDir(space, from, to)) done.push(`${from} -> ${to}`);
    const a = /^addons\.([^.]+)$/.exec(from)?.[1];
    const b = /^addons\.([^.]+)$/.exec(to)?.[1];
    if (!a || !b || a === b || !(b in space.config.addons) || a in space.config.addons) continue;
    if (moveAddon(space.stateDir, store, from, to)) done.push(`${from} -> ${to}`);
  }
  return done;
}

/**
 * Renames add-on `from` to `to` (addresses `addons.<name>`) on disk and in state: data directories,
 * credentials, stable ports and recorded resources. Its server must not run. True when anything moved.
 */
export function moveAddon(stateDir: string, store: StateStore, from: string, to: string): boolean {
  const a = from.slice('addons.'.length);
  const b = to.slice('addons.'.length);
  let moved = false;
  for (const sub of DATA_DIRS) {
    const src = join(stateDir, sub, a);
    const dst = join(stateDir, sub, b);
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
        if (m && typeof m === 'object') renameKeys(m, (k) => (k === a && isAddonEntry(m[a]) ? b : undefined));
      }
      renameKeys(st.ports, (k) => (k === from ? to : k.startsWith(`${from}:`) ? to + k.slice(from.length) : undefined));
      renameKeys(st.resources, (k) => rebase(k, from, to));
    });
    moved = true;
  }
  return moved;
}

/**
 * A topic of an embedded broker renamed while the space was down: its directory takes the new name before
 * the broker starts (records kept; groups' committed offsets stay under the old name, so consumers of the
 * new name start from their reset policy).
 */
function renameTopicDir(space: Space, from: string, to: string): boolean {
  const a = /^addons\.([^.]+)\.topics\.(.+)$/.exec(from);
  const b = /^addons\.([^.]+)\.topics\.(.+)$/.exec(to);
  if (!a || !b || a[1] !== b[1] || a[2] === b[2]) return false;
  const addon = space.config.addons[b[1]!];
  if (addon?.type !== 'kafka' || addon.url || !(b[2]! in addon.topics) || a[2]! in addon.topics) return false;
  const src = join(space.stateDir, 'events', b[1]!, 'topics', a[2]!);
  const dst = join(space.stateDir, 'events', b[1]!, 'topics', b[2]!);
  if (!existsSync(src) || existsSync(dst)) return false;
  renameSync(src, dst);
  return true;
}

/** Moves each entry of `m` whose key `rename` maps to a new key, unless that key is taken: nothing is overwritten. */
function renameKeys<V>(m: Record<string, V>, rename: (key: string) => string | undefined): void {
  for (const key of Object.keys(m)) {
    const next = rename(key);
    if (next && !(next in m)) {
      m[next] = m[key]!;
      delete m[key];
    }
  }
}

/** Entries of add-on sections are records (credentials and the like), not lists such as releases. */
function isAddonEntry(v: unknown): boolean {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}

/** An app moved while the space was down: its identity goes to the new name (as apply's move does). */
function renameApp(space: Space, store: StateStore, from: string, to: string): boolean {
  const a = /^apps\.([^.]+)$/.exec(from)?.[1];
  const b = /^apps\.([^.]+)$/.exec(to)?.[1];
  if (!a || !b || a === b || !(b in space.config.apps) || a in space.config.apps) return false;
  const s = store.read();
  const has = (n: string, k: string) => Boolean((s.sections[n] as Record<string, unknown> | undefined)?.[k]);
  if (!has('releases', a) || has('releases', b)) return false;
  store.update((st) => {
    for (const n of ['releases', 'formation']) {
      const m = st.sections[n] as Record<string, unknown> | undefined;
      if (m) renameKeys(m, (k) => (k === a ? b : undefined));
    }
    renameKeys(st.resources, (k) => rebase(k, from, to));
  });
  const src = join(space.stateDir, 'builds', a);
  const dst = join(space.stateDir, 'builds', b);
  if (existsSync(src) && !existsSync(dst)) renameSync(src, dst);
  return true;
}

/**
 * Deleting an embedded database's data: only for an explicit request (`destroy --include-data`, removing
 * the add-on with --allow-destroy), never as a side effect. Refuses while its server runs.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pidAlive as alive } from '../../runtime/proc-stat.js';
import type { StateStore } from '../../state/store.js';
import { clusterPaths } from './cluster.js';
import type { PostgresSection } from './credentials.js';

/** Removes `.spaceport/postgres/<addon>/`, its credentials and its port from state; returns what was removed. */
export function destroyPostgresData(state: StateStore, stateDir: string, addon: string): { removed: string | undefined } {
  const paths = clusterPaths(stateDir, addon);
  const pidFile = join(paths.data, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 0 && alive(pid)) throw new Error(`the server of addons.${addon} still runs (pid ${pid}); stop the space with spaceport down first`);
  }
  const existed = existsSync(paths.home);
  rmSync(paths.home, { recursive: true, force: true });
  state.update((s) => {
    const sec = (s.sections.postgres as PostgresSection | undefined) ?? {};
    delete sec[addon];
    s.sections.postgres = sec;
    delete s.ports[`addons.${addon}`];
  });
  return { removed: existed ? paths.home : undefined };
}

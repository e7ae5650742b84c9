/**
 * A start (`up`) of a space whose apps ran before makes a release of each changed app; when its release phase
 * fails, the previous release keeps running. That is a failed start as much as a failed first release is: `up -d`
 * exits 1 saying so (as `apply` does for the same change), and the foreground `up` says so too, not only in a log
 * line scrolled past, before its "is up" box.
 */
import { appReleases } from '../runtime/releases.js';
import type { State } from '../state/schema.js';

/** The newest release version of each app, taken before the start. */
export function newestReleases(state: State, apps: string[]): Record<string, number> {
  return Object.fromEntries(apps.map((a) => [a, appReleases(state, a).releases.at(-1)?.version ?? 0]));
}

/** Why the start failed for an app whose release made during it failed (the old one runs), or undefined. */
export function failedStartRelease(state: State, before: Record<string, number>): string | undefined {
  for (const [app, last] of Object.entries(before)) {
    const r = appReleases(state, app);
    const latest = r.releases.at(-1);
    if (!latest || latest.version <= last || latest.status !== 'failed' || r.current === 0) continue;
    return (
      `release v${latest.version} of ${app} (${latest.description}) failed: its release phase exited non-zero, so ` +
      `v${r.current}, the release from before this change, keeps running; see \`spaceport logs -a ${app} -d release\``
    );
  }
  return undefined;
}

/** What to do next, for the CLI: the space runs the previous release. */
export const FAILED_RELEASE_HINT =
  'The space keeps running with the previous release: fix the release phase, then `spaceport apply` releases the change (`spaceport down` stops the space).';

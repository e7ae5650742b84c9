/**
 * Releases, as on Heroku: each change of an app's config vars or processes creates a numbered release (v1,
 * v2...). They live in `state.sections.releases` in this shape (the plan/apply subsystem builds on it):
 *
 *   sections.releases[<app>] = {
 *     current: number,                       // version that runs; 0 before the first release succeeded
 *     overrides: { KEY: "value" | null },    // config:set / config:unset on top of the file's env (null = unset)
 *     pending?: { version, overrides },      // a config:set's overrides, kept until its release succeeds
 *     releases: [{ version, description, created, status, config, processes }],  // oldest first, newest 100
 *   }
 *
 * status is `pending` while the release phase runs, then `succeeded` or `failed` (a failed one never runs).
 */
import type { State } from '../state/schema.js';
import type { StateStore } from '../state/store.js';

export interface ReleaseRecord {
  version: number;
  description: string;
  /** ISO time. */
  created: string;
  status: 'pending' | 'succeeded' | 'failed';
  /** The full config vars of the release (file env + overrides). */
  config: Record<string, string>;
  /** Process type → command. */
  processes: Record<string, string>;
  /**
   * The build the release runs: content hash of the app's source (see plan/builds.ts), the kept build
   * directory when the release runs from one (a rollback) instead of the app's root, and the hash of each
   * workspace package the source hash covers, by name (plan shows which one changed).
   */
  build?: ReleaseBuild;
}

export interface ReleaseBuild {
  hash: string;
  dir?: string;
  packages?: Record<string, string>;
}

export interface AppReleases {
  current: number;
  overrides: Record<string, string | null>;
  /** The overrides of release `version`, made the app's only once it succeeds (see createRelease). */
  pending?: { version: number; overrides: Record<string, string | null> };
  releases: ReleaseRecord[];
}

const KEEP = 100;

/** The releases record of `app` (an empty one when it has none yet). */
export function appReleases(state: State, app: string): AppReleases {
  const all = (state.sections.releases ?? {}) as Record<string, AppReleases>;
  return all[app] ?? { current: 0, overrides: {}, releases: [] };
}

/** The release that runs now, if any. */
export function currentRelease(state: State, app: string): ReleaseRecord | undefined {
  const r = appReleases(state, app);
  return r.releases.find((x) => x.version === r.current);
}

/** Config vars of an app: the file's `env`, then the overrides of config:set / config:unset. */
export function effectiveConfig(fileEnv: Readonly<Record<string, string>>, overrides: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = { ...fileEnv };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** True when a release with this config, these processes and this build differs from the current one. */
export function needsRelease(state: State, app: string, config: Record<string, string>, processes: Record<string, string>, build?: { hash: string; dir?: string }): boolean {
  const cur = currentRelease(state, app);
  if (build && (cur?.build?.hash !== build.hash || cur?.build?.dir !== build.dir)) return true;
  return !cur || !sameRecord(cur.config, config) || !sameRecord(cur.processes, processes);
}

/**
 * Records a new pending release and returns it. `overrides` replace the app's overrides once the release
 * succeeds (finishRelease): a config:set whose release phase fails leaves the config vars as what runs, so
 * `config` does not show the refused value and the next config:set does not carry it along.
 */
export function createRelease(
  store: StateStore,
  app: string,
  rel: { description: string; config: Record<string, string>; processes: Record<string, string>; overrides?: Record<string, string | null>; build?: ReleaseBuild },
): ReleaseRecord {
  let created!: ReleaseRecord;
  store.update((s) => {
    const all = (s.sections.releases ??= {}) as Record<string, AppReleases>;
    const r = (all[app] ??= { current: 0, overrides: {}, releases: [] });
    const version = (r.releases.at(-1)?.version ?? 0) + 1;
    created = { version, description: rel.description, created: new Date().toISOString(), status: 'pending', config: rel.config, processes: rel.processes };
    if (rel.build) created.build = rel.build;
    r.releases.push(created);
    if (r.releases.length > KEEP) r.releases.splice(0, r.releases.length - KEEP);
    if (rel.overrides) r.pending = { version, overrides: rel.overrides };
  });
  return created;
}

/** Marks a release succeeded (it becomes current) or failed. */
export function finishRelease(store: StateStore, app: string, version: number, ok: boolean): void {
  store.update((s) => {
    const r = (s.sections.releases as Record<string, AppReleases>)[app]!;
    const rel = r.releases.find((x) => x.version === version)!;
    rel.status = ok ? 'succeeded' : 'failed';
    if (ok) r.current = version;
    if (r.pending?.version === version) {
      if (ok) r.overrides = r.pending.overrides;
      delete r.pending;
    }
  });
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/**
 * The state file's shape, one version at a time. Each subsystem owns a section; `resources` is the
 * reconciler's record of what it applied (by stable id, so renames keep identity).
 */
export const CURRENT_STATE_VERSION = 2;

export interface ProcessRecord {
  /** Process group leader pid (we spawn detached, so pid === pgid). */
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid from ours. */
  startTicks: number;
  name: string;
}

export interface State {
  version: number;
  serial: number;
  /** Stable id of this space. */
  spaceId: string;
  /** 256-bit pre-shared key the gateway adds as X-Internal-API-Key. */
  internalApiKey?: string;
  /** Ports allocated once and kept stable: key (such as `internal:edm-stats`, `addons.db`) → port. */
  ports: Record<string, number>;
  /** Processes the control plane started, so the next `up` reaps what a killed one left behind. */
  processes: Record<string, ProcessRecord>;
  /** The control plane's own pid while it runs. */
  controlPlane?: ProcessRecord;
  /** Per-subsystem records (add-on credentials, releases, ...), owned by each subsystem. */
  sections: Record<string, unknown>;
  /** The reconciler's record of applied resources: address → { id, kind, attributes }. */
  resources: Record<string, { id: string; kind: string; attributes: unknown }>;
  /** The config's `outputs:`, resolved at the last apply (since version 2). */
  outputs: Record<string, OutputRecord>;
}

export interface OutputRecord {
  value: string;
  description?: string;
  sensitive: boolean;
}

export function emptyState(): State {
  return {
    version: CURRENT_STATE_VERSION,
    serial: 0,
    spaceId: cryptoRandomId(),
    ports: {},
    processes: {},
    sections: {},
    resources: {},
    outputs: {},
  };
}

function cryptoRandomId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * One function per version step; state files of any older version upgrade step by step. A step only ever
 * reads the shape of its own version: never change a step once released, add the next one.
 */
const upgrades: Record<number, (s: Record<string, unknown>) => Record<string, unknown>> = {
  // 0 (unversioned files of early builds): resources had no stable ids; sections and ports could be missing.
  0: (s) => {
    const resources: Record<string, unknown> = {};
    for (const [addr, r] of Object.entries((s.resources as Record<string, Record<string, unknown>> | undefined) ?? {})) {
      resources[addr] = { kind: r.kind ?? addr.split('.')[0], attributes: r.attributes ?? null, id: typeof r.id === 'string' ? r.id : cryptoRandomId() };
    }
    return { ...s, resources, sections: s.sections ?? {}, ports: s.ports ?? {}, processes: s.processes ?? {}, serial: s.serial ?? 0 };
  },
  // 1 → 2: resolved `outputs:` are kept in state, so `spaceport output` answers without the running space.
  1: (s) => ({ ...s, outputs: {} }),
};

export function upgradeState(raw: unknown): State {
  if (!raw || typeof raw !== 'object') throw new Error('state file is not a JSON object; fix or remove it');
  let s = raw as Record<string, unknown>;
  let v = typeof s.version === 'number' ? s.version : 0;
  if (v > CURRENT_STATE_VERSION) {
    throw new Error(`state file version ${v} is newer than this spaceport understands (${CURRENT_STATE_VERSION}); upgrade spaceport`);
  }
  while (v < CURRENT_STATE_VERSION) {
    const step = upgrades[v];
    if (!step) throw new Error(`no upgrade from state version ${v}`);
    s = step(s);
    v += 1;
    s.version = v;
  }
  const base = emptyState();
  return { ...base, ...(s as Partial<State>), version: v } as State;
}

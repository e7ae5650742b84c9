/** A consumer group's in-memory state (classic protocol) and its on-disk form. */
import type { JoinGroupResponse } from '../protocol/messages/join-group.js';
import type { SyncGroupResponse } from '../protocol/messages/sync-group.js';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface Member {
  id: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: Array<{ name: string; metadata: Buffer }>;
  assignment: Buffer;
  /** Set while the member waits in JoinGroup for the rebalance to complete. */
  joinWaiter?: (res: JoinGroupResponse) => void;
  syncWaiter?: (res: SyncGroupResponse) => void;
  sessionTimer?: NodeJS.Timeout;
}

export class Group {
  state: GroupState = 'Empty';
  generation = 0;
  protocolType = '';
  protocol = '';
  leader = '';
  readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, awaiting their second JoinGroup. */
  readonly pending = new Map<string, NodeJS.Timeout>();
  timer?: NodeJS.Timeout;
  /** During the first rebalance of an empty group: do not complete before this time (new joins extend it). */
  initialDelayEnd = 0;
  rebalanceDeadline = 0;

  constructor(readonly id: string) {}

  /** The protocol every member supports, chosen by the members' preference votes (as Kafka's selectProtocol). */
  selectProtocol(): string {
    const all = [...this.members.values()];
    const candidates = all[0]!.protocols.map((p) => p.name).filter((name) => all.every((m) => m.protocols.some((p) => p.name === name)));
    const votes = new Map<string, number>();
    for (const m of all) {
      const pick = m.protocols.find((p) => candidates.includes(p.name))!.name;
      votes.set(pick, (votes.get(pick) ?? 0) + 1);
    }
    let best = candidates[0]!;
    for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
    return best;
  }

  /** Whether a joining member's protocols fit the group (same type, at least one protocol in common). */
  accepts(protocolType: string, protocols: Array<{ name: string }>): boolean {
    if (this.members.size === 0) return protocols.length > 0;
    if (protocolType !== this.protocolType) return false;
    return protocols.some((p) => [...this.members.values()].every((m) => m.protocols.some((q) => q.name === p.name)));
  }
}

/** What survives a restart: generation, protocol and, for a stable group, its members and assignments. */
export interface StoredGroup {
  generation: number;
  protocolType: string;
  protocol: string;
  leader: string;
  state: 'Empty' | 'Stable';
  members: Array<{ id: string; clientId: string; clientHost: string; sessionTimeoutMs: number; rebalanceTimeoutMs: number; protocols: Array<{ name: string; metadata: string }>; assignment: string }>;
}

export function toStored(g: Group): StoredGroup {
  const stable = g.state === 'Stable';
  return {
    generation: g.generation,
    protocolType: g.protocolType,
    protocol: g.protocol,
    leader: g.leader,
    state: stable ? 'Stable' : 'Empty',
    members: stable
      ? [...g.members.values()].map((m) => ({
          id: m.id,
          clientId: m.clientId,
          clientHost: m.clientHost,
          sessionTimeoutMs: m.sessionTimeoutMs,
          rebalanceTimeoutMs: m.rebalanceTimeoutMs,
          protocols: m.protocols.map((p) => ({ name: p.name, metadata: p.metadata.toString('base64') })),
          assignment: m.assignment.toString('base64'),
        }))
      : [],
  };
}

export function fromStored(id: string, s: StoredGroup): Group {
  const g = new Group(id);
  g.generation = s.generation;
  g.protocolType = s.protocolType;
  g.protocol = s.protocol;
  g.leader = s.leader;
  if (s.state === 'Stable' && s.members.length > 0) {
    g.state = 'Stable';
    for (const m of s.members) {
      g.members.set(m.id, {
        ...m,
        protocols: m.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata, 'base64') })),
        assignment: Buffer.from(m.assignment, 'base64'),
      });
    }
  }
  return g;
}

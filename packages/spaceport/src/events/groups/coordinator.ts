/**
 * The group coordinator, classic protocol, following Kafka's GroupCoordinator state machine:
 * Empty → PreparingRebalance (members rejoin) → CompletingRebalance (leader assigns, SyncGroup) → Stable.
 * The broker never looks inside assignments: the leader computes them with whatever assignor members agree on.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '../protocol/error-codes.js';
import { Reader } from '../protocol/reader.js';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/messages/join-group.js';
import type { SyncGroupRequest, SyncGroupResponse } from '../protocol/messages/sync-group.js';
import { fromStored, Group, toStored, type Member, type StoredGroup } from './group.js';

export interface CoordinatorOptions {
  dir: string;
  /** Wait for more members before the first rebalance of an empty group completes (Kafka: group.initial.rebalance.delay.ms). */
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  log: (msg: string) => void;
}

const EMPTY = Buffer.alloc(0);

export class GroupCoordinator {
  readonly groups = new Map<string, Group>();
  private readonly file: string;

  constructor(private readonly opts: CoordinatorOptions) {
    this.file = join(opts.dir, 'groups.json');
  }

  open(): void {
    mkdirSync(this.opts.dir, { recursive: true });
    if (!existsSync(this.file)) return;
    const stored = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, StoredGroup>;
    for (const [id, s] of Object.entries(stored)) {
      const g = fromStored(id, s);
      this.groups.set(id, g);
      for (const m of g.members.values()) this.touch(g, m);
    }
  }

  /** Writes every group's durable part (atomic rename, fsynced): called on each generation change. */
  private persist(): void {
    const out: Record<string, StoredGroup> = {};
    for (const [id, g] of this.groups) if (g.state !== 'Dead') out[id] = toStored(g);
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(out));
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
  }

  group(id: string): Group | undefined {
    return this.groups.get(id);
  }

  join(req: JoinGroupRequest, version: number, clientId: string, clientHost: string): Promise<JoinGroupResponse> {
    const fail = (errorCode: number, memberId = req.memberId): Promise<JoinGroupResponse> =>
      Promise.resolve({ errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] });
    if (!req.groupId) return fail(ErrorCode.INVALID_GROUP_ID);
    if (req.sessionTimeoutMs < this.opts.minSessionTimeoutMs || req.sessionTimeoutMs > this.opts.maxSessionTimeoutMs) return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
    let g = this.groups.get(req.groupId);
    if (!g) this.groups.set(req.groupId, (g = new Group(req.groupId)));
    if (!g.accepts(req.protocolType, req.protocols)) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);

    let memberId = req.memberId;
    if (memberId === '') {
      memberId = `${clientId || 'member'}-${randomUUID()}`;
      // JoinGroup v4+ (KIP-394): hand out the id first, the member rejoins with it.
      if (version >= 4) {
        const expire = setTimeout(() => {
          g.pending.delete(memberId);
          this.checkJoinComplete(g);
        }, req.sessionTimeoutMs);
        expire.unref();
        g.pending.set(memberId, expire);
        return fail(ErrorCode.MEMBER_ID_REQUIRED, memberId);
      }
    } else if (g.pending.has(memberId)) {
      clearTimeout(g.pending.get(memberId));
      g.pending.delete(memberId);
    } else if (!g.members.has(memberId)) {
      return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }

    return new Promise<JoinGroupResponse>((resolve) => {
      const existing = g.members.get(memberId);
      if (existing?.joinWaiter) existing.joinWaiter({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: '', leader: '', memberId, members: [] });
      const member: Member = existing ?? {
        id: memberId,
        clientId,
        clientHost,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        protocols: req.protocols,
        assignment: EMPTY,
      };
      member.sessionTimeoutMs = req.sessionTimeoutMs;
      member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
      member.protocols = req.protocols;
      member.joinWaiter = resolve;
      if (!existing) {
        g.members.set(memberId, member);
        if (g.members.size === 1) g.protocolType = req.protocolType;
      }
      this.touch(g, member);
      if (g.state === 'PreparingRebalance') {
        if (!existing && g.initialDelayEnd > Date.now()) {
          // A new member during the initial delay extends it, bounded by the rebalance timeout.
          g.initialDelayEnd = Math.min(Date.now() + this.opts.initialRebalanceDelayMs, g.rebalanceDeadline);
          this.schedule(g);
        }
        this.checkJoinComplete(g);
      } else this.prepareRebalance(g, `member ${memberId} joined`);
    });
  }

  private prepareRebalance(g: Group, reason: string): void {
    if (g.state === 'CompletingRebalance') {
      for (const m of g.members.values()) {
        m.syncWaiter?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
        m.syncWaiter = undefined;
      }
    }
    const wasEmpty = g.state === 'Empty';
    g.state = 'PreparingRebalance';
    const now = Date.now();
    let timeout = 0;
    for (const m of g.members.values()) timeout = Math.max(timeout, m.rebalanceTimeoutMs);
    g.rebalanceDeadline = now + timeout;
    g.initialDelayEnd = wasEmpty ? Math.min(now + this.opts.initialRebalanceDelayMs, g.rebalanceDeadline) : 0;
    this.opts.log(`group ${g.id}: rebalancing (${reason}), generation ${g.generation}`);
    this.schedule(g);
    this.checkJoinComplete(g);
  }

  private schedule(g: Group): void {
    clearTimeout(g.timer);
    const now = Date.now();
    const at = g.initialDelayEnd > now ? g.initialDelayEnd : g.rebalanceDeadline;
    g.timer = setTimeout(() => {
      if (g.state !== 'PreparingRebalance') return;
      if (Date.now() >= g.rebalanceDeadline) this.completeJoin(g);
      else {
        this.schedule(g);
        this.checkJoinComplete(g);
      }
    }, Math.max(0, at - now));
    g.timer.unref();
  }

  private checkJoinComplete(g: Group): void {
    if (g.state !== 'PreparingRebalance' || Date.now() < g.initialDelayEnd || g.pending.size > 0) return;
    for (const m of g.members.values()) if (!m.joinWaiter) return;
    this.completeJoin(g);
  }

  /** Ends the join phase: members that did not rejoin in time are dropped, a new generation starts. */
  private completeJoin(g: Group): void {
    clearTimeout(g.timer);
    for (const m of [...g.members.values()]) if (!m.joinWaiter) this.dropMember(g, m);
    g.generation++;
    if (g.members.size === 0) {
      g.state = 'Empty';
      g.protocol = '';
      g.leader = '';
      this.persist();
      this.opts.log(`group ${g.id}: empty at generation ${g.generation}`);
      return;
    }
    g.protocol = g.selectProtocol();
    if (!g.members.has(g.leader)) g.leader = g.members.keys().next().value!;
    g.state = 'CompletingRebalance';
    const all = [...g.members.values()].map((m) => ({
      memberId: m.id,
      groupInstanceId: null,
      metadata: m.protocols.find((p) => p.name === g.protocol)!.metadata,
    }));
    for (const m of g.members.values()) {
      const waiter = m.joinWaiter!;
      m.joinWaiter = undefined;
      m.assignment = EMPTY;
      this.touch(g, m);
      waiter({ errorCode: ErrorCode.NONE, generationId: g.generation, protocolName: g.protocol, leader: g.leader, memberId: m.id, members: m.id === g.leader ? all : [] });
    }
    this.opts.log(`group ${g.id}: generation ${g.generation} with ${g.members.size} member(s), leader ${g.leader}, protocol ${g.protocol}`);
  }

  sync(req: SyncGroupRequest): Promise<SyncGroupResponse> {
    const fail = (errorCode: number) => Promise.resolve({ errorCode, assignment: EMPTY });
    const g = this.groups.get(req.groupId);
    const m = g?.members.get(req.memberId);
    if (!g || !m) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (req.generationId !== g.generation) return fail(ErrorCode.ILLEGAL_GENERATION);
    if (g.state === 'PreparingRebalance') return fail(ErrorCode.REBALANCE_IN_PROGRESS);
    this.touch(g, m);
    if (g.state === 'Stable') return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: m.assignment });
    if (g.state !== 'CompletingRebalance') return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    return new Promise((resolve) => {
      m.syncWaiter = resolve;
      if (req.memberId !== g.leader) return;
      const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
      for (const member of g.members.values()) member.assignment = given.get(member.id) ?? EMPTY;
      g.state = 'Stable';
      this.persist();
      for (const member of g.members.values()) {
        member.syncWaiter?.({ errorCode: ErrorCode.NONE, assignment: member.assignment });
        member.syncWaiter = undefined;
      }
    });
  }

  heartbeat(groupId: string, memberId: string, generationId: number): number {
    const g = this.groups.get(groupId);
    const m = g?.members.get(memberId);
    if (!g || !m || g.state === 'Empty' || g.state === 'Dead') return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    this.touch(g, m);
    return g.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): number {
    const g = this.groups.get(groupId);
    if (!g) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (g.pending.has(memberId)) {
      clearTimeout(g.pending.get(memberId));
      g.pending.delete(memberId);
      this.checkJoinComplete(g);
      return ErrorCode.NONE;
    }
    const m = g.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMember(g, m, 'left the group');
    return ErrorCode.NONE;
  }

  /** Checks that a member may commit offsets for a generation; returns an error code. */
  checkCommit(groupId: string, memberId: string, generationId: number): number {
    const g = this.groups.get(groupId);
    if (!g) {
      if (generationId < 0) return ErrorCode.NONE; // a commit outside group management (admin tools, kcat)
      return ErrorCode.ILLEGAL_GENERATION;
    }
    if (generationId < 0 && g.state === 'Empty') return ErrorCode.NONE;
    if (g.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    const m = g.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    this.touch(g, m);
    return ErrorCode.NONE;
  }

  /** Session timeout: restarted by every join, sync, heartbeat and commit; a member waiting in a rebalance is exempt. */
  private touch(g: Group, m: Member): void {
    clearTimeout(m.sessionTimer);
    m.sessionTimer = setTimeout(() => {
      if (m.joinWaiter || g.members.get(m.id) !== m) return;
      this.removeMember(g, m, `session timeout of ${m.sessionTimeoutMs} ms expired`);
    }, m.sessionTimeoutMs);
    m.sessionTimer.unref();
  }

  private dropMember(g: Group, m: Member): void {
    clearTimeout(m.sessionTimer);
    m.syncWaiter?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
    m.joinWaiter?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: '', leader: '', memberId: m.id, members: [] });
    g.members.delete(m.id);
  }

  private removeMember(g: Group, m: Member, reason: string): void {
    this.dropMember(g, m);
    this.opts.log(`group ${g.id}: member ${m.id} removed (${reason})`);
    if (g.state === 'Stable' || g.state === 'CompletingRebalance') this.prepareRebalance(g, `member ${m.id} ${reason}`);
    else if (g.state === 'PreparingRebalance') this.checkJoinComplete(g);
  }

  /**
   * DeleteGroups: an Empty group (or one known only by its committed offsets, which the caller drops) is
   * forgotten; one with members is refused, as in Kafka (GroupCoordinator.handleDeleteGroups).
   */
  deleteGroup(id: string, hasOffsets: boolean): number {
    const g = this.groups.get(id);
    if (!id) return ErrorCode.INVALID_GROUP_ID;
    if (!g && !hasOffsets) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (g && g.state !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
    if (g) {
      clearTimeout(g.timer);
      for (const t of g.pending.values()) clearTimeout(t);
      g.state = 'Dead';
      this.groups.delete(id);
      this.persist();
    }
    this.opts.log(`group ${id}: deleted`);
    return ErrorCode.NONE;
  }

  /**
   * A topic grew: every consumer group subscribed to it rebalances now, so its leader assigns the new partitions
   * (kafkajs's leader refreshes metadata before assigning). Kafka leaves this to the clients' next metadata
   * refresh (metadata.max.age.ms, 5 minutes by default); a rebalance at once is what a user growing a topic wants.
   */
  rebalanceSubscribers(topic: string, reason: string): string[] {
    const out: string[] = [];
    for (const g of this.groups.values()) {
      if (g.state !== 'Stable' && g.state !== 'CompletingRebalance') continue;
      if (![...g.members.values()].some((m) => m.protocols.some((p) => subscribedTopics(p.metadata).includes(topic)))) continue;
      this.prepareRebalance(g, reason);
      out.push(g.id);
    }
    return out;
  }

  close(): void {
    for (const g of this.groups.values()) {
      clearTimeout(g.timer);
      for (const t of g.pending.values()) clearTimeout(t);
      for (const m of g.members.values()) clearTimeout(m.sessionTimer);
    }
  }
}

/** The topics of a consumer-protocol subscription (ConsumerProtocolSubscription.json: version, topics, ...); [] otherwise. */
function subscribedTopics(metadata: Buffer): string[] {
  try {
    const r = new Reader(metadata);
    r.int16();
    return r.array((r) => r.string());
  } catch {
    return [];
  }
}

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '../protocol/error-codes.js';
import type { JoinGroupRequest } from '../protocol/messages/join-group.js';
import { GroupCoordinator } from './coordinator.js';

// The coordinator's timers are unref'd (the broker's listeners keep it alive); here a timer does.
let keepAlive: NodeJS.Timeout;
before(() => {
  keepAlive = setInterval(() => {}, 1000);
});
after(() => clearInterval(keepAlive));

const dir = () => mkdtempSync(join(tmpdir(), 'spaceport-groups-'));
const make = (d = dir()) => {
  const c = new GroupCoordinator({ dir: d, initialRebalanceDelayMs: 30, minSessionTimeoutMs: 100, maxSessionTimeoutMs: 60_000, log: () => {} });
  c.open();
  return c;
};
const req = (memberId: string, over: Partial<JoinGroupRequest> = {}): JoinGroupRequest => ({
  groupId: 'g',
  sessionTimeoutMs: 400,
  rebalanceTimeoutMs: 400,
  memberId,
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: Buffer.from('m') }],
  ...over,
});

test('v4+ first join gets MEMBER_ID_REQUIRED with an id; the rejoin completes generation 1 with the leader', async () => {
  const c = make();
  const first = await c.join(req(''), 5, 'client', 'h');
  assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  assert.match(first.memberId, /^client-/);
  const joined = await c.join(req(first.memberId), 5, 'client', 'h');
  assert.equal(joined.errorCode, ErrorCode.NONE);
  assert.equal(joined.generationId, 1);
  assert.equal(joined.leader, first.memberId);
  assert.equal(joined.members.length, 1, 'the leader gets the member list');
  // v3 and older join directly, without the extra round.
  const old = await c.join(req('', { groupId: 'old' }), 3, 'client', 'h');
  assert.equal(old.errorCode, ErrorCode.NONE);
  c.close();
});

test('error codes: unknown member, illegal generation, rebalance in progress, inconsistent protocol', async () => {
  const c = make();
  const a = (await c.join(req(''), 5, 'a', 'h')).memberId;
  const ja = await c.join(req(a), 5, 'a', 'h');
  assert.equal((await c.sync({ groupId: 'g', generationId: ja.generationId, memberId: a, groupInstanceId: null, assignments: [{ memberId: a, assignment: Buffer.from('A') }] })).assignment.toString(), 'A');
  assert.equal(c.heartbeat('g', a, ja.generationId), ErrorCode.NONE);
  assert.equal(c.heartbeat('g', 'stranger', ja.generationId), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(c.heartbeat('g', a, ja.generationId + 5), ErrorCode.ILLEGAL_GENERATION);
  assert.equal((await c.join(req('stranger'), 5, 'x', 'h')).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal((await c.join(req('', { protocolType: 'connect' }), 5, 'x', 'h')).errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal((await c.join(req('', { sessionTimeoutMs: 5 }), 5, 'x', 'h')).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);

  // A second member joins: the stable member is told to rejoin through its heartbeat.
  const b = (await c.join(req(''), 5, 'b', 'h')).memberId;
  const jb = c.join(req(b), 5, 'b', 'h');
  assert.equal(c.heartbeat('g', a, ja.generationId), ErrorCode.REBALANCE_IN_PROGRESS);
  assert.equal(c.checkCommit('g', a, ja.generationId), ErrorCode.NONE, 'commits of the current generation are allowed while preparing');
  const ja2 = c.join(req(a), 5, 'a', 'h');
  const [ra, rb] = await Promise.all([ja2, jb]);
  assert.equal(ra.generationId, 2);
  assert.equal(rb.generationId, 2);
  const leader = ra.leader === a ? ra : rb;
  assert.equal(leader.members.length, 2);
  // A follower syncing before the leader waits; both get their part when the leader syncs.
  const follower = ra.leader === a ? b : a;
  assert.equal(c.checkCommit('g', follower, 2), ErrorCode.REBALANCE_IN_PROGRESS, 'no commits between join and sync');
  const fSync = c.sync({ groupId: 'g', generationId: 2, memberId: follower, groupInstanceId: null, assignments: [] });
  const lSync = c.sync({ groupId: 'g', generationId: 2, memberId: leader.memberId, groupInstanceId: null, assignments: [{ memberId: a, assignment: Buffer.from('A2') }, { memberId: b, assignment: Buffer.from('B2') }] });
  const [fs, ls] = await Promise.all([fSync, lSync]);
  assert.equal(fs.errorCode, ErrorCode.NONE);
  assert.equal((follower === a ? fs : ls).assignment.toString(), 'A2');
  assert.equal((follower === b ? fs : ls).assignment.toString(), 'B2');
  assert.equal(c.checkCommit('g', a, 1), ErrorCode.ILLEGAL_GENERATION);
  c.close();
});

test('a member that stops heartbeating is removed after its session timeout; the group and generation survive a restart', async () => {
  const d = dir();
  let c = make(d);
  const a = (await c.join(req(''), 5, 'a', 'h')).memberId;
  const b = (await c.join(req(''), 5, 'b', 'h')).memberId;
  const [ra] = await Promise.all([c.join(req(a), 5, 'a', 'h'), c.join(req(b), 5, 'b', 'h')]);
  assert.equal(ra!.generationId, 1);
  await Promise.all([
    c.sync({ groupId: 'g', generationId: 1, memberId: ra!.leader, groupInstanceId: null, assignments: [{ memberId: a, assignment: Buffer.from('A') }, { memberId: b, assignment: Buffer.from('B') }] }),
    c.sync({ groupId: 'g', generationId: 1, memberId: ra!.leader === a ? b : a, groupInstanceId: null, assignments: [] }),
  ]);
  // Only a heartbeats: b's session (400 ms) expires and the group rebalances.
  const beat = setInterval(() => c.heartbeat('g', a, c.group('g')!.generation), 100);
  await new Promise((r) => setTimeout(r, 700));
  clearInterval(beat);
  assert.equal(c.group('g')!.members.has(b), false);
  assert.equal(c.group('g')!.state, 'PreparingRebalance');
  const again = await c.join(req(a), 5, 'a', 'h');
  assert.equal(again.generationId, 2);
  await c.sync({ groupId: 'g', generationId: 2, memberId: a, groupInstanceId: null, assignments: [{ memberId: a, assignment: Buffer.from('all') }] });
  c.close();

  c = make(d);
  const g = c.group('g')!;
  assert.equal(g.state, 'Stable');
  assert.equal(g.generation, 2);
  assert.equal(g.members.get(a)!.assignment.toString(), 'all');
  assert.equal(c.heartbeat('g', a, 2), ErrorCode.NONE, 'a member carries on after a broker restart');
  c.close();
});

// Exactly-once effect of edm-stats: one of its two dynos is SIGKILLed while a load generator sends events; once the
// platform restarted it and the group rebalanced, the totals equal the events the relay acknowledged, per product.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { PARTNER_KEY, startEdmSpace, stats, until, type EdmSpace } from './edm-support.js';

let space: EdmSpace;
before(async () => {
  space = await startEdmSpace();
});
after(() => space?.cleanup());

interface Load {
  acked: Map<string, number>;
  ackedTotal: number;
  errors: string[];
}

/** Sends batches of 1-5 events every few ms until `stop()`; counts what got 202 (acknowledged by the broker). */
function generate(gateway: string): { done: Promise<Load>; stop: () => void } {
  const load: Load = { acked: new Map(), ackedTotal: 0, errors: [] };
  let running = true;
  let seq = 0;
  const worker = async () => {
    while (running) {
      const events = Array.from({ length: 1 + (seq++ % 5) }, (_, i) => ({ type: (seq + i) % 4 === 0 ? 'pageload' : 'click', product: `p-${String(1 + ((seq * 7 + i) % 24)).padStart(3, '0')}`, at: Date.now() }));
      try {
        const r = await fetch(`${gateway}/api/partner/events`, { method: 'POST', headers: { 'content-type': 'application/json', apikey: PARTNER_KEY }, body: JSON.stringify(events) });
        const body = await r.text();
        if (r.status === 202) {
          load.ackedTotal += events.length;
          for (const e of events) {
            const k = `${e.product}/${e.type}`;
            load.acked.set(k, (load.acked.get(k) ?? 0) + 1);
          }
        } else load.errors.push(`${r.status} ${body}`);
      } catch (e) {
        load.errors.push(String(e));
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const done = Promise.all(Array.from({ length: 4 }, worker)).then(() => load);
  return { done, stop: () => (running = false) };
}

test('SIGKILL of one edm-stats dyno under load: totals equal the acknowledged events, nothing lost or counted twice', async (t) => {
  const before = await space.ps('edm-stats');
  assert.equal(before.length, 2, 'edm-stats runs web=2');
  const victim = before.find((d) => d.dyno === 'web.1')!;
  const gen = generate(space.gateway);
  await new Promise((r) => setTimeout(r, 2500));
  process.kill(victim.pid!, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 3500));
  gen.stop();
  const load = await gen.done;
  assert.deepEqual(load.errors, [], 'the relay acknowledged every request');
  assert.ok(load.ackedTotal > 300, `enough load: ${load.ackedTotal} events`);

  // The killed dyno comes back and the group settles; the totals then reach the acknowledged count.
  const restarted = await until(async () => {
    const d = (await space.ps('edm-stats')).find((x) => x.dyno === 'web.1');
    return d && d.state === 'up' && d.pid !== victim.pid ? d : undefined;
  }, 30_000, 'the killed edm-stats dyno to restart');
  assert.ok(restarted.restarts >= 1);
  const settled = await until(async () => {
    const s = await stats(space);
    return s.totals.click + s.totals.pageload >= load.ackedTotal ? s : undefined;
  }, 60_000, `totals to reach ${load.ackedTotal} acknowledged events`);
  // Give any late redelivery time to (wrongly) count twice before comparing exactly.
  await new Promise((r) => setTimeout(r, 1500));
  const s = await stats(space);
  assert.equal(s.totals.click + s.totals.pageload, load.ackedTotal, `counted ${JSON.stringify(s.totals)} after first reaching ${JSON.stringify(settled.totals)}`);
  for (const p of s.products) {
    assert.equal(p.click, load.acked.get(`${p.product}/click`) ?? 0, `${p.product} clicks`);
    assert.equal(p.pageload, load.acked.get(`${p.product}/pageload`) ?? 0, `${p.product} page loads`);
  }
  const log = readFileSync(join(space.dir, '.spaceport', 'logs', 'space.log'), 'utf8');
  const skipped = [...log.matchAll(/skipped (\d+) already counted messages/g)].reduce((a, m) => a + Number(m[1]), 0);
  t.diagnostic(`acknowledged ${load.ackedTotal}; redelivered and skipped after the kill: ${skipped}`);
});

test('the broker forgetting the group offsets changes nothing: consumers resume from the offsets in Postgres', async () => {
  const before = (await stats(space)).totals;
  assert.ok(before.click + before.pageload > 0, 'the previous test counted events');
  const down = await space.cli(['scale', '-a', 'edm-stats', 'web=0']);
  assert.equal(down.code, 0, down.stderr);
  await until(async () => (await space.ps('edm-stats')).length === 0, 30_000, 'edm-stats to scale to zero');
  // With no member left the group's committed offsets can be reset: a consumer trusting them would count all again.
  const admin = new Kafka({ clientId: 'edm-e2e', brokers: space.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    for (const topic of ['edm-ui-click', 'edm-ui-pageload']) await admin.resetOffsets({ groupId: 'edm-stats', topic, earliest: true });
  } finally {
    await admin.disconnect();
  }
  const up = await space.cli(['scale', '-a', 'edm-stats', 'web=2']);
  assert.equal(up.code, 0, up.stderr);
  await until(async () => (await space.ps('edm-stats')).filter((d) => d.state === 'up').length === 2, 30_000, 'edm-stats to come back');
  const extra = Array.from({ length: 12 }, (_, i) => ({ type: 'click', product: `p-${String(1 + i).padStart(3, '0')}` }));
  const r = await fetch(`${space.gateway}/api/partner/events`, { method: 'POST', headers: { 'content-type': 'application/json', apikey: PARTNER_KEY }, body: JSON.stringify(extra) });
  assert.equal(r.status, 202);
  const want = before.click + extra.length;
  await until(async () => (await stats(space)).totals.click >= want, 30_000, `clicks to reach ${want}`);
  await new Promise((res) => setTimeout(res, 1500));
  assert.deepEqual((await stats(space)).totals, { click: want, pageload: before.pageload });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from './crc32c.js';
import { checkBatches, writeInt64, type BatchRefusal } from './batch.js';
import { PartitionLog } from './partition-log.js';
import { Flusher } from './flusher.js';
import { RECENT_BYTES } from './segment.js';

function zigzag(n: number): number[] {
  let v = n >= 0 ? n * 2 : -n * 2 - 1;
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A valid uncompressed record batch v2 of `values` (no keys), CRC-32C set. */
function batch(values: string[], ts = Date.now()): Buffer {
  const records = values.map((v, i) => {
    const value = Buffer.from(v);
    const body = Buffer.from([0, ...zigzag(0), ...zigzag(i), ...zigzag(-1), ...zigzag(value.length), ...value, ...zigzag(0)]);
    return Buffer.concat([Buffer.from(zigzag(body.length)), body]);
  });
  const recs = Buffer.concat(records);
  const b = Buffer.alloc(61 + recs.length);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt8(2, 16);
  b.writeInt16BE(0, 21);
  b.writeInt32BE(values.length - 1, 23);
  writeInt64(b, 27, ts);
  writeInt64(b, 35, ts);
  writeInt64(b, 43, -1);
  b.writeInt16BE(-1, 51);
  b.writeInt32BE(-1, 53);
  b.writeInt32BE(values.length, 57);
  recs.copy(b, 61);
  b.writeUInt32BE(crc32c(b, 21), 17);
  return b;
}

function writeAt(file: string, data: Buffer, position: number): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, data, 0, data.length, position);
  closeSync(fd);
}

const dir = () => mkdtempSync(join(tmpdir(), 'spaceport-plog-'));
const quiet = () => {};

test('CRC-32C matches the standard check value', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
});

test('batches are validated: CRC, magic, sizes', () => {
  const good = batch(['a', 'b'], 1_700_000_000_000);
  assert.deepEqual(checkBatches(Buffer.concat([good, batch(['c'], 1_700_000_000_500)]), 1 << 20), { batches: 2, offsets: 3, maxTimestamp: 1_700_000_000_500 });
  const flipped = Buffer.from(good);
  flipped[flipped.length - 1]! ^= 1;
  assert.deepEqual(checkBatches(flipped, 1 << 20), { kind: 'corrupt', reason: 'CRC-32C mismatch' });
  const magic = Buffer.from(good);
  magic.writeInt8(1, 16);
  assert.match((checkBatches(magic, 1 << 20) as BatchRefusal).reason, /magic 1/);
  assert.equal((checkBatches(magic, 1 << 20) as BatchRefusal).kind, 'unsupported-format');
  assert.match((checkBatches(good.subarray(0, 40), 1 << 20) as BatchRefusal).reason, /shorter than a batch header/);
  assert.match((checkBatches(good, 10) as BatchRefusal).reason, /exceeds the limit/);
  assert.equal((checkBatches(good, 10) as BatchRefusal).kind, 'too-large');
});

test('offsets are assigned by patching baseOffset only; reads return whole batches from the high watermark down', async () => {
  const d = dir();
  const log = new PartitionLog('t', 0, d, { segmentBytes: 1 << 20, log: quiet });
  log.open();
  const flusher = new Flusher(quiet);
  const b1 = batch(['one', 'two', 'three']);
  const b2 = batch(['four']);
  const original = Buffer.from(b2);
  let woken = 0;
  log.onData(() => woken++);
  assert.equal(log.append(b1), 0);
  assert.equal(woken, 1, 'a waiting fetch is woken by the append itself, not by the fsync');
  assert.equal(log.append(b2), 3);
  // Written to the file but not yet fsynced: readable (the high watermark is the written end), not yet durable.
  assert.equal(log.highWatermark, 4);
  assert.equal(log.durableOffset, 0);
  assert.equal((await log.read(0, 1 << 20, Infinity)).chunks.length, 2);
  assert.equal(await flusher.request(log), true);
  assert.equal(log.durableOffset, 4);
  const all = await log.read(0, 1 << 20, Infinity);
  assert.equal(all.chunks.length, 2);
  // Stored bytes equal the produced bytes except the 8-byte baseOffset.
  assert.ok(all.chunks[1]!.subarray(8).equals(original.subarray(8)));
  assert.equal(all.chunks[1]!.readInt32BE(4), 3);
  // Offset 4 lies inside batch 2 of 1: reading from offset 3 returns just batch 2.
  assert.equal((await log.read(3, 1 << 20, Infinity)).chunks.length, 1);
  // max_bytes below the first batch: the first batch still comes when allowed, nothing otherwise.
  assert.equal((await log.read(0, 10, Infinity)).chunks.length, 1);
  assert.equal((await log.read(0, 10, 0)).chunks.length, 0);
  log.close();
});

test('what a fetch can see is in the file: a reopen without any fsync (as after a broker SIGKILL) keeps every visible batch at its offsets', async () => {
  const d = dir();
  let log = new PartitionLog('t', 0, d, { segmentBytes: 1 << 20, log: quiet });
  log.open();
  for (let i = 0; i < 3; i++) log.append(batch([`v${i}a`, `v${i}b`]));
  const seen = await log.read(0, 1 << 20, Infinity);
  assert.equal(log.durableOffset, 0, 'nothing fsynced');
  log.close(); // closes the files without a sync: the page cache is all that holds the data
  log = new PartitionLog('t', 0, d, { segmentBytes: 1 << 20, log: quiet });
  log.open();
  assert.equal(log.highWatermark, 6);
  const again = await log.read(0, 1 << 20, Infinity);
  assert.deepEqual(again.chunks, seen.chunks);
  assert.equal(log.append(batch(['next'])), 6, 'no visible offset is reused');
  log.close();
});

test('recovery truncates a torn tail and a corrupt last batch, keeping every complete batch', async () => {
  const d = dir();
  let log = new PartitionLog('t', 0, d, { segmentBytes: 1 << 20, log: quiet });
  log.open();
  for (let i = 0; i < 5; i++) log.append(batch([`m${i}a`, `m${i}b`]));
  await new Flusher(quiet).request(log);
  const good = log.sizeBytes;
  log.close();
  const file = join(d, '00000000000000000000.log');
  // A crash in the middle of a write: half a batch after the last one (in the preallocated zeros).
  const torn = Buffer.concat([batch(['torn', 'tail']).subarray(0, 39), Buffer.from([1])]);
  writeAt(file, torn, good);
  const lines: string[] = [];
  log = new PartitionLog('t', 0, d, { segmentBytes: 1 << 20, log: (m) => lines.push(m) });
  log.open();
  assert.equal(log.nextOffset, 10);
  assert.equal(statSync(file).size, good);
  assert.match(lines.join('\n'), /dropped a torn tail of 40 bytes at offset 10/);
  assert.equal(log.append(batch(['after'])), 10);
  await new Flusher(quiet).request(log);
  const end = log.sizeBytes;
  log.close();

  // A corrupt last batch (bit flip in its records): dropped by the CRC check.
  const data = Buffer.alloc(1);
  const fd = openSync(file, 'r');
  readSync(fd, data, 0, 1, end - 3);
  closeSync(fd);
  data[0]! ^= 0xff;
  writeAt(file, data, end - 3);
  log = new PartitionLog('t', 0, d, { segmentBytes: 1 << 20, log: quiet });
  log.open();
  assert.equal(log.nextOffset, 10);
  assert.equal(statSync(file).size, good);
  log.close();
});

test('segments roll at the size limit, reads cross them, retention drops the oldest', async () => {
  const d = dir();
  const log = new PartitionLog('t', 0, d, { segmentBytes: 2000, log: quiet });
  log.open();
  const flusher = new Flusher(quiet);
  for (let i = 0; i < 40; i++) log.append(batch([`value-${i}-${'x'.repeat(100)}`]));
  await flusher.request(log);
  assert.ok(log.sizeBytes > 4000);
  let seen = 0;
  for (let off = 0; off < 40; ) {
    const r = await log.read(off, 1 << 20, Infinity);
    assert.ok(r.chunks.length > 0, `data at ${off}`);
    for (const c of r.chunks) assert.equal(c.readInt32BE(4), off++);
    seen += r.chunks.length;
  }
  assert.equal(seen, 40);
  log.close();
  // Reopen: sealed segments come from their index, the last one is scanned.
  const again = new PartitionLog('t', 0, d, { segmentBytes: 2000, log: quiet });
  again.open();
  assert.equal(again.nextOffset, 40);
  assert.equal((await again.read(17, 1 << 20, Infinity)).chunks[0]!.readInt32BE(4), 17);
  const removed = again.enforceRetention(undefined, 2500);
  assert.ok(removed > 0);
  assert.ok(again.logStartOffset > 0);
  assert.ok(again.sizeBytes - 2000 < 2500);
  assert.equal(again.enforceRetention(1, undefined, Date.now() + 10_000) >= 0, true);
  assert.equal(again.nextOffset, 40, 'the active segment is never deleted');
  again.close();
});

test('time retention: the active segment rolls at the retention time, then old segments are deleted', async () => {
  const { LogStore } = await import('./log-store.js');
  const store = new LogStore({ dataDir: dir(), segmentBytes: 1 << 20, log: quiet });
  store.open();
  const topic = store.create('short-lived', { partitions: 1, retentionMs: 100 });
  const log = topic.partitions[0]!;
  log.append(batch(['old-1', 'old-2']));
  await store.flusher.request(log);
  await new Promise((r) => setTimeout(r, 150));
  log.append(batch(['new']));
  await store.flusher.request(log);
  assert.equal(log.logStartOffset, 0);
  store.enforceRetention();
  assert.equal(log.logStartOffset, 2, 'the segment holding offsets 0-1 is gone');
  assert.equal((await log.read(0, 1 << 20, Infinity)).bytes, 0);
  assert.equal((await log.read(2, 1 << 20, Infinity)).chunks.length, 1);
  store.close();
});

test('the active segment is preallocated with zeros; recovery takes its end from the content, never resurrects bytes past a gap', async () => {
  const d = dir();
  const file = join(d, '00000000000000000000.log');
  let log = new PartitionLog('t', 0, d, { segmentBytes: 1 << 20, log: quiet });
  log.open();
  for (let i = 0; i < 3; i++) log.append(batch([`p${i}`]));
  await new Flusher(quiet).request(log);
  const end = log.sizeBytes;
  const size = statSync(file).size;
  assert.ok(size >= end + 32 * 1024, `zeros ahead of the data (${size} bytes for ${end})`);
  assert.ok(readFileSync(file).subarray(end).every((b) => b === 0));
  log.close(); // as after SIGKILL: the zero tail stays

  const lines: string[] = [];
  log = new PartitionLog('t', 0, d, { segmentBytes: 1 << 20, log: (m) => lines.push(m) });
  log.open();
  assert.equal(log.nextOffset, 3);
  assert.equal(log.sizeBytes, end);
  assert.equal(lines.length, 0, `a zero tail is not reported as damage: ${lines.join('; ')}`);
  assert.equal(statSync(file).size, size, 'the preallocated space is kept');
  // Appends continue at the logical end, not at the end of the file.
  assert.equal(log.append(batch(['p3'])), 3);
  await new Flusher(quiet).request(log);
  const offsets = (await log.read(0, 1 << 20, Infinity)).chunks.map((c) => c.readInt32BE(4));
  assert.deepEqual(offsets, [0, 1, 2, 3]);
  const end2 = log.sizeBytes;
  log.close();

  // A valid batch with the next offset, past a gap of zeros (pages written out of order, never acknowledged):
  // not resurrected, and cut off so that later appends cannot be followed by it.
  const stale = batch(['stale']);
  stale.writeInt32BE(4, 4);
  writeAt(file, stale, end2 + 4096);
  log = new PartitionLog('t', 0, d, { segmentBytes: 1 << 20, log: (m) => lines.push(m) });
  log.open();
  assert.equal(log.nextOffset, 4);
  assert.match(lines.join('\n'), /dropped a torn tail of \d+ bytes at offset 4/);
  assert.equal(log.append(batch(['p4'])), 4);
  await new Flusher(quiet).request(log);
  log.close();
  log = new PartitionLog('t', 0, d, { segmentBytes: 1 << 20, log: quiet });
  log.open();
  assert.equal(log.nextOffset, 5);
  const values = (await log.read(0, 1 << 20, Infinity)).chunks.map((c) => c.subarray(61).toString('latin1'));
  assert.ok(!values.some((v) => v.includes('stale')));
  log.close();
});

test('a rolled segment is sealed at its exact size: the zeros are cut off and it reopens from its index', async () => {
  const d = dir();
  const log = new PartitionLog('t', 0, d, { segmentBytes: 2000, log: quiet });
  log.open();
  for (let i = 0; i < 30; i++) log.append(batch([`value-${i}-${'x'.repeat(100)}`]));
  await new Flusher(quiet).request(log);
  log.close();
  const again = new PartitionLog('t', 0, d, { segmentBytes: 2000, log: quiet });
  again.open();
  assert.equal(again.nextOffset, 30);
  const first = join(d, '00000000000000000000.log');
  const data = readFileSync(first);
  let pos = 0;
  while (pos < data.length && data.readInt32BE(pos + 8) > 0) pos += 12 + data.readInt32BE(pos + 8);
  assert.ok(pos > 0 && pos <= 2000);
  assert.equal(data.length, pos, 'the sealed file ends with its last batch (no zero tail)');
  for (let off = 0; off < 30; ) {
    const r = await again.read(off, 1 << 20, Infinity);
    for (const c of r.chunks) assert.equal(c.readInt32BE(4), off++);
  }
  again.close();
});

test('the in-memory tail serves the same bytes as the file, across slides of its window, and never changes a result', async () => {
  const d = dir();
  const log = new PartitionLog('t', 0, d, { segmentBytes: 64 << 20, log: quiet });
  log.open();
  const flusher = new Flusher(quiet);
  const early: Array<{ chunks: Buffer[]; snapshot: Buffer }> = [];
  for (let i = 0; i < 900; i++) {
    log.append(batch([`v${i}-${'y'.repeat(300 + (i % 900))}`]));
    if (i % 97 === 0) {
      await flusher.request(log);
      const r = await log.read(i, 1 << 20, Infinity);
      early.push({ chunks: r.chunks, snapshot: Buffer.concat(r.chunks) }); // compared once the window slid
    }
  }
  await flusher.request(log);
  assert.ok(log.sizeBytes > 4 * RECENT_BYTES, 'more data than the window holds');
  for (const e of early) assert.ok(Buffer.concat(e.chunks).equals(e.snapshot), 'a returned read is never overwritten');
  const fromDisk = new PartitionLog('t', 0, d, { segmentBytes: 64 << 20, log: quiet });
  fromDisk.open();
  // Every offset of the last 200 (the window and what it slid out of), and a few old ones from the file.
  for (const off of [0, 1, 350, ...Array.from({ length: 200 }, (_, i) => 700 + i)]) {
    for (const max of off % 50 === 0 ? [1, 5000, 1 << 20] : [1]) {
      const live = Buffer.concat((await log.read(off, max, Infinity)).chunks);
      const disk = Buffer.concat((await fromDisk.read(off, max, Infinity)).chunks);
      assert.ok(live.length > 0 && live.equals(disk), `offset ${off}, max ${max}`);
    }
  }
  fromDisk.close();
  log.close();
});

/**
 * The broker with librdkafka (Debian's kcat): metadata (-L), produce (-P), consume from the beginning (-C) and
 * balanced group consume (-G), and every compression codec produced by a client and consumed back byte for byte.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { eventually, startBroker, type RunningBroker } from './events-support.js';

const hasKcat = spawnSync('kcat', ['-V']).status === 0;
let broker: RunningBroker;

function kcat(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', ['-b', `127.0.0.1:${broker.port}`, ...args], { timeout: 20_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin!.end(input ?? '');
  });
}

/** The compression codec (attributes & 7) of every batch stored for topic-partition 0. */
function storedCodecs(topic: string): number[] {
  const dir = join(broker.dataDir, 'topics', topic, '0');
  const codecs: number[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.log'))) {
    const data = readFileSync(join(dir, f));
    // The active segment ends in preallocated zeros: a zero batch length is the end of the data.
    for (let at = 0; at + 61 <= data.length && data.readInt32BE(at + 8) > 0; at += 12 + data.readInt32BE(at + 8)) codecs.push(data.readInt16BE(at + 21) & 7);
  }
  return codecs;
}

before(async () => {
  if (hasKcat) broker = await startBroker();
});
after(async () => {
  await broker?.kill();
});

test('kcat -L lists the broker and topics; -P produces; -C reads from the beginning with contiguous offsets', { skip: !hasKcat && 'kcat is not installed (apt-get install -y kcat)' }, async () => {
  const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${randomBytes(8).toString('hex')}`);
  await kcat(['-P', '-t', 'plain'], lines.join('\n') + '\n');
  const meta = await kcat(['-L', '-t', 'plain']);
  assert.match(meta, new RegExp(`broker 0 at 127\\.0\\.0\\.1:${broker.port}`));
  assert.match(meta, /topic "plain" with 1 partitions/);
  const out = await kcat(['-C', '-t', 'plain', '-o', 'beginning', '-e', '-f', '%o %s\\n']);
  const rows = out.trim().split('\n').map((l) => [Number(l.slice(0, l.indexOf(' '))), l.slice(l.indexOf(' ') + 1)] as const);
  assert.deepEqual(rows.map((r) => r[1]), lines);
  assert.deepEqual(rows.map((r) => r[0]), lines.map((_, i) => i));
});

test('kcat -G consumes as a balanced group and commits its offsets', { skip: !hasKcat && 'kcat is not installed' }, async () => {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'grouped', numPartitions: 3 }] });
  await admin.disconnect();
  const lines = Array.from({ length: 90 }, (_, i) => `g${i}`);
  await kcat(['-P', '-t', 'grouped', '-K', ':'], lines.map((l) => `${l}:${l}`).join('\n') + '\n');
  const out = await kcat(['-G', 'kcat-group', 'grouped', '-o', 'beginning', '-e', '-f', '%s\\n', '-X', 'auto.commit.interval.ms=100']);
  assert.deepEqual(out.trim().split('\n').sort(), [...lines].sort());
  const groups = await eventually(async () => {
    const res = (await broker.admin('GET', '/v1/groups')).body as { groups: Array<{ group: string; offsets: Array<{ committed: number; lag: number }> }> };
    const g = res.groups.find((x) => x.group === 'kcat-group');
    return g && g.offsets.length === 3 && g.offsets.every((o) => o.lag === 0) ? g : undefined;
  }, 10_000, 'kcat-group offsets committed');
  assert.equal(groups.offsets.reduce((n, o) => n + o.committed, 0), 90);
});

for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
  test(`${codec} batches from kcat are stored compressed and consumed back byte for byte`, { skip: !hasKcat && 'kcat is not installed' }, async () => {
    const topic = `codec-${codec}`;
    // Compressible values: librdkafka sends a batch uncompressed when compressing would not make it smaller.
    const lines = Array.from({ length: 2000 }, (_, i) => `${i}:${'event payload '.repeat(1 + (i % 7))}${randomBytes(1 + (i % 40)).toString('base64')}`);
    await kcat(['-P', '-t', topic, '-z', codec, '-X', 'linger.ms=50'], lines.join('\n') + '\n');
    const code = ['none', 'gzip', 'snappy', 'lz4', 'zstd'].indexOf(codec);
    const codecs = storedCodecs(topic);
    assert.ok(codecs.includes(code) && codecs.every((c) => c === code || c === 0), `stored batches use ${codec}: ${codecs}`);
    const out = await kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%s\\n']);
    assert.equal(out, lines.join('\n') + '\n');
  });
}

test('gzip batches from kafkajs round-trip through kafkajs and kcat', { skip: !hasKcat && 'kcat is not installed' }, async () => {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const values = Array.from({ length: 100 }, () => randomBytes(64));
  await producer.send({ topic: 'kafkajs-gzip', acks: -1, compression: CompressionTypes.GZIP, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
  assert.deepEqual([...new Set(storedCodecs('kafkajs-gzip'))], [1]);
  const got: Buffer[] = [];
  const consumer = kafka.consumer({ groupId: 'gzip-check', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'kafkajs-gzip', fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value!) });
  await eventually(() => got.length === values.length, 15_000, 'gzip messages');
  await consumer.disconnect();
  assert.ok(got.every((v, i) => v.equals(values[i]!)));
  // librdkafka decompresses kafkajs's gzip batches too: offsets and sizes match.
  const rows = await kcat(['-C', '-t', 'kafkajs-gzip', '-o', 'beginning', '-e', '-f', '%o:%S\\n']);
  assert.deepEqual(rows.trim().split('\n'), values.map((v, i) => `${i}:${v.length}`));
});

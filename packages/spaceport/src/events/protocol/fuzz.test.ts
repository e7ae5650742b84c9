/**
 * Codec fuzzing in process: valid requests of every API are mutated (bit flips, truncation, random bodies) and
 * handled by a real Broker on a temp directory. A handler either answers or throws ProtocolError — never any
 * other exception (RangeError, TypeError...), which would mean a decode path without bounds checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiModules } from '../apis/index.js';
import { Broker, defaultBrokerConfig } from '../broker.js';
import { ApiKey, supportedVersions } from './api-keys.js';
import { decodeRequestHeader } from './header.js';
import { ProtocolError, Reader } from './reader.js';
import { Writer } from './writer.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** A plausible body for each API (enough structure that mutations reach deep into the decoders). */
function body(apiKey: number, version: number): Buffer {
  const w = new Writer();
  const str = (s: string) => w.string(s);
  switch (apiKey) {
    case ApiKey.ApiVersions:
      if (version >= 3) w.compactString('fuzz').compactString('1.0').noTags();
      break;
    case ApiKey.Metadata:
      w.array(['fuzz-topic'], (w, t) => w.string(t));
      if (version >= 4) w.bool(true);
      break;
    case ApiKey.Produce:
      if (version >= 3) w.nullableString(null);
      w.int16(-1).int32(1000).array(['fuzz-topic'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).bytes(Buffer.alloc(70, 1))));
      break;
    case ApiKey.Fetch:
      w.int32(-1).int32(10).int32(1).int32(1 << 20).int8(0);
      if (version >= 7) w.int32(0).int32(-1);
      w.array(['fuzz-topic'], (w, t) =>
        w.string(t).array([0], (w, p) => {
          w.int32(p);
          if (version >= 9) w.int32(-1);
          w.int64(0);
          if (version >= 5) w.int64(0);
          w.int32(1 << 20);
        }),
      );
      if (version >= 7) w.int32(0);
      if (version >= 11) str('');
      break;
    case ApiKey.JoinGroup:
      str('fuzz-group');
      w.int32(10000);
      if (version >= 1) w.int32(10000);
      str('');
      if (version >= 5) w.nullableString(null);
      str('consumer');
      w.array(['range'], (w, p) => w.string(p).bytes(Buffer.from([0, 1, 0, 0, 0, 0])));
      break;
    case ApiKey.CreateTopics:
      w.array(['fuzz-created'], (w, t) => w.string(t).int32(2).int16(1).int32(0).array([['retention.ms', '1000']], (w, c) => w.string(c[0]!).nullableString(c[1]!)));
      w.int32(1000);
      if (version >= 1) w.bool(false);
      break;
    case ApiKey.DescribeConfigs:
      w.array([[2, 'fuzz-topic'], [4, '0']] as const, (w, [type, name]) => w.int8(type).string(name).array(['retention.ms'], (w, c) => w.string(c)));
      if (version >= 1) w.bool(true);
      break;
    case ApiKey.AlterConfigs:
    case ApiKey.IncrementalAlterConfigs:
      w.array(['fuzz-topic'], (w, t) =>
        w.int8(2).string(t).array([['retention.ms', '86400000'], ['retention.bytes', '-1']], (w, [n, v]) => {
          w.string(n!);
          if (apiKey === ApiKey.IncrementalAlterConfigs) w.int8(0);
          w.nullableString(v!);
        }),
      );
      w.bool(false);
      break;
    case ApiKey.CreatePartitions:
      // An unknown topic: a mutated count must not grow a real one to hundreds of partitions (file descriptors).
      w.array(['fuzz-grow'], (w, t) => w.string(t).int32(3).array([[0]], (w, a) => w.int32Array(a)));
      w.int32(1000).bool(false);
      break;
    case ApiKey.DeleteRecords:
      w.array(['fuzz-topic'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int64(0)));
      w.int32(1000);
      break;
    case ApiKey.DescribeAcls:
    case ApiKey.CreateAcls:
    case ApiKey.DeleteAcls: {
      const acl = (w: Writer) => {
        w.int8(2).string('fuzz-topic');
        if (version >= 1) w.int8(3);
        w.string('User:alice').string('*').int8(3).int8(3);
      };
      if (apiKey === ApiKey.DescribeAcls) acl(w);
      else w.array([0], (w) => acl(w));
      break;
    }
    case ApiKey.DeleteGroups:
      w.array(['fuzz-group', 'other'], (w, g) => w.string(g));
      break;
    default:
      // The others start with a group id or a topic array: give them a string and some numbers.
      str('fuzz-group');
      w.int32(1).string('member').int32(0);
  }
  return Buffer.concat(w.finish());
}

function frame(apiKey: number, version: number, b: Buffer): Buffer {
  const w = new Writer();
  w.int16(apiKey).int16(version).int32(7).nullableString('fuzzer');
  if (apiKey === ApiKey.ApiVersions && version >= 3) w.noTags();
  return Buffer.concat([...w.finish(), b]);
}

test('mutated requests of every API and version either decode or fail with ProtocolError', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'spaceport-fuzz-'));
  const broker = new Broker({ ...defaultBrokerConfig, dataDir, port: 9092, clusterId: 'fuzz', initialRebalanceDelayMs: 0 }, () => {});
  broker.open();
  const rand = rng(20261121);
  let handled = 0;
  let rejected = 0;
  for (const [apiKey, range] of supportedVersions) {
    for (let version = range.min; version <= range.max; version++) {
      const base = frame(apiKey, version, body(apiKey, version));
      for (let i = 0; i < 150; i++) {
        let f: Buffer;
        const kind = i % 3;
        if (kind === 0) {
          f = Buffer.from(base);
          for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) f[8 + Math.floor(rand() * (f.length - 8))] = Math.floor(rand() * 256);
        } else if (kind === 1) f = base.subarray(0, 8 + Math.floor(rand() * (base.length - 8)));
        else f = Buffer.concat([base.subarray(0, 8), Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)))]);
        try {
          const r = new Reader(f);
          decodeRequestHeader(r);
          const out = apiModules.get(apiKey)!.handle(broker, { apiVersion: version, clientId: 'fuzzer', clientHost: '127.0.0.1' }, r);
          // Long-polls and rebalances may stay pending: that is an answer in the making, not a failure.
          await Promise.race([Promise.resolve(out), new Promise((res) => setTimeout(res, 5))]);
          handled++;
          // Keep file descriptors bounded: drop what mutated CreateTopics requests created.
          if (apiKey === ApiKey.CreateTopics) for (const name of [...broker.store.topics.keys()]) broker.deleteTopic(name);
        } catch (err) {
          if (!(err instanceof ProtocolError)) assert.fail(`API ${apiKey} v${version}: ${(err as Error).stack}\nframe ${f.toString('hex')}`);
          rejected++;
        }
      }
    }
  }
  assert.ok(handled > 100 && rejected > 100, `handled ${handled}, rejected ${rejected}`);
  broker.close();
});

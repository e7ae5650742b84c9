/**
 * DescribeConfigs, AlterConfigs and IncrementalAlterConfigs against the real broker process: kafkajs's admin (and
 * kafkajs's own codec for the lower versions), the values the broker really uses, Kafka's error codes, and the
 * change kept in topic.json across a restart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Kafka, logLevel, type Admin, type ConfigResourceTypes as ResourceTypes } from 'kafkajs';
import { startBroker, tempDir, type RunningBroker } from './events-support.js';
import { kafkajsRequest } from './events-wire-support.js';

let broker: RunningBroker;
let admin: Admin;
const dataDir = tempDir();
const DAY = 86_400_000;
// kafkajs's ConfigResourceTypes enum is not an ESM named export of its CommonJS module.
const ConfigResourceTypes = { TOPIC: 2 as ResourceTypes, BROKER: 4 as ResourceTypes };

async function connectAdmin(): Promise<Admin> {
  const a = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  await a.connect();
  return a;
}

before(async () => {
  broker = await startBroker({ dataDir, config: { autoCreateTopics: false } });
  admin = await connectAdmin();
  await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '3600000' }] }, { topic: 'plain' }] });
});
after(async () => {
  await admin?.disconnect();
  await broker?.kill();
});

type Entry = { configName: string; configValue: string; readOnly: boolean; isDefault: boolean; configSource: number; configSynonyms: { configName: string; configValue: string; configSource: number }[] };
async function topicConfigs(topic: string): Promise<Map<string, Entry>> {
  const r = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: true });
  return new Map((r.resources[0]!.configEntries as Entry[]).map((e) => [e.configName, e]));
}
const errorType = (p: Promise<unknown>) => p.then(() => 'no error', (e: { type?: string }) => e.type ?? String(e));

test('DescribeConfigs of a topic: the values the broker uses, their sources, read-only flags and synonyms', async () => {
  const c = await topicConfigs('orders');
  assert.deepEqual([...c.keys()].sort(), ['cleanup.policy', 'compression.type', 'max.message.bytes', 'message.timestamp.type', 'min.insync.replicas', 'retention.bytes', 'retention.ms', 'segment.bytes', 'segment.ms']);
  const ms = c.get('retention.ms')!;
  assert.deepEqual([ms.configValue, ms.readOnly, ms.isDefault, ms.configSource], ['3600000', false, false, 1], 'the topic\'s own value (TOPIC_CONFIG)');
  assert.deepEqual(ms.configSynonyms.map((s) => [s.configName, s.configValue, s.configSource]), [['retention.ms', '3600000', 1], ['log.retention.ms', String(7 * DAY), 5]]);
  const bytes = c.get('retention.bytes')!;
  assert.deepEqual([bytes.configValue, bytes.readOnly, bytes.isDefault, bytes.configSource], ['-1', false, true, 5], 'unlimited, the default');
  assert.equal(c.get('cleanup.policy')!.configValue, 'delete');
  assert.deepEqual([c.get('segment.bytes')!.configValue, c.get('segment.bytes')!.readOnly], [String(64 * 1024 * 1024), true]);
  assert.equal(c.get('segment.ms')!.configValue, '3600000', 'segments roll at the retention time when it is under a week');
  const plain = await topicConfigs('plain');
  assert.deepEqual([plain.get('retention.ms')!.configValue, plain.get('retention.ms')!.isDefault], [String(7 * DAY), true]);

  const only = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configNames: ['retention.ms'] }], includeSynonyms: false });
  assert.deepEqual((only.resources[0]!.configEntries as Entry[]).map((e) => [e.configName, e.configSynonyms.length]), [['retention.ms', 0]]);
  assert.equal(await errorType(admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'nope' }], includeSynonyms: false })), 'UNKNOWN_TOPIC_OR_PARTITION');
});

test('DescribeConfigs of the broker resource (its node id)', async () => {
  const r = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.BROKER, name: '0' }], includeSynonyms: false });
  const c = new Map((r.resources[0]!.configEntries as Entry[]).map((e) => [e.configName, e]));
  assert.equal(c.get('broker.id')!.configValue, '0');
  assert.equal(c.get('auto.create.topics.enable')!.configValue, 'false');
  assert.equal(c.get('auto.create.topics.enable')!.configSource, 4, 'set at start: STATIC_BROKER_CONFIG');
  assert.equal(c.get('log.retention.ms')!.configValue, String(7 * DAY));
  assert.equal(c.get('listeners')!.configValue, `PLAINTEXT://127.0.0.1:${broker.port}`);
  assert.ok([...c.values()].every((e) => e.readOnly), 'the broker\'s configs are read-only');
});

test('DescribeConfigs v0, v1 and v2 through kafkajs\'s own codec', async () => {
  type Res = { resources: { errorCode: number; configEntries: { configName: string; configValue: string; isDefault: boolean; configSource?: number; configSynonyms?: unknown[] }[] }[] };
  for (const version of [0, 1, 2]) {
    const r = await kafkajsRequest<Res>(broker.port, 'describeConfigs', version, { resources: [{ type: 2, name: 'orders', configNames: ['retention.ms', 'retention.bytes'] }], includeSynonyms: true });
    const e = r.resources[0]!.configEntries;
    assert.deepEqual(e.map((x) => [x.configName, x.configValue, x.isDefault]), [['retention.bytes', '-1', true], ['retention.ms', '3600000', false]], `v${version}`);
    if (version >= 1) assert.equal(e[1]!.configSynonyms!.length, 2, `v${version} synonyms`);
  }
});

test('AlterConfigs: retention changes apply at once, persist across a restart; left-out configs return to their defaults', async () => {
  await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configEntries: [{ name: 'retention.ms', value: String(2 * DAY) }, { name: 'retention.bytes', value: '1048576' }] }] });
  let c = await topicConfigs('orders');
  assert.deepEqual([c.get('retention.ms')!.configValue, c.get('retention.bytes')!.configValue, c.get('retention.bytes')!.configSource], [String(2 * DAY), '1048576', 1]);
  const view = async () => ((await broker.admin('GET', '/v1/topics')).body as { topics: { name: string; retentionMs: number | null; retentionBytes: number | null }[] }).topics.find((t) => t.name === 'orders')!;
  assert.deepEqual([(await view()).retentionMs, (await view()).retentionBytes], [2 * DAY, 1048576], 'what `spaceport topics` and plan read');

  await admin.disconnect();
  await broker.stop();
  broker = await startBroker({ dataDir, config: { autoCreateTopics: false } });
  admin = await connectAdmin();
  c = await topicConfigs('orders');
  assert.deepEqual([c.get('retention.ms')!.configValue, c.get('retention.bytes')!.configValue], [String(2 * DAY), '1048576'], 'kept in topic.json');

  // AlterConfigs replaces the topic's whole set, as in Kafka: retention.ms is not given, so it is the default again.
  await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configEntries: [{ name: 'retention.bytes', value: '2097152' }] }] });
  c = await topicConfigs('orders');
  assert.deepEqual([c.get('retention.ms')!.configValue, c.get('retention.ms')!.isDefault, c.get('retention.bytes')!.configValue], [String(7 * DAY), true, '2097152']);

  await admin.alterConfigs({ validateOnly: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
  assert.equal((await topicConfigs('orders')).get('retention.ms')!.configValue, String(7 * DAY), 'validateOnly changes nothing');
});

test('AlterConfigs refuses what the broker cannot honour, with Kafka\'s codes', async () => {
  const alter = (name: string, configEntries: { name: string; value: string }[], type = ConfigResourceTypes.TOPIC) => errorType(admin.alterConfigs({ validateOnly: false, resources: [{ type, name, configEntries }] }));
  assert.equal(await alter('orders', [{ name: 'retention.ms', value: 'soon' }]), 'INVALID_CONFIG');
  assert.equal(await alter('orders', [{ name: 'retention.bytes', value: '-2' }]), 'INVALID_CONFIG');
  assert.equal(await alter('orders', [{ name: 'cleanup.policy', value: 'compact' }]), 'INVALID_CONFIG');
  assert.equal(await alter('orders', [{ name: 'segment.bytes', value: '1024' }]), 'INVALID_CONFIG', 'read-only');
  assert.equal(await alter('orders', [{ name: 'retention.msec', value: '1' }]), 'INVALID_CONFIG', 'unknown name');
  assert.equal(await alter('orders', [{ name: 'delete.retention.ms', value: '1' }]), 'INVALID_CONFIG', 'a Kafka config this broker does not implement');
  assert.equal(await alter('nope', [{ name: 'retention.ms', value: '1' }]), 'UNKNOWN_TOPIC_OR_PARTITION');
  assert.equal(await alter('0', [{ name: 'log.retention.ms', value: '1' }], ConfigResourceTypes.BROKER), 'INVALID_CONFIG', 'broker configs come from spaceport.yaml');
  assert.equal(await alter('orders', [{ name: 'cleanup.policy', value: 'delete' }, { name: 'segment.bytes', value: String(64 * 1024 * 1024) }]), 'no error', 'a fixed config resent unchanged is fine');
  // The message says what to do (kafkajs keeps only the code; the wire carries it).
  type Res = { resources: { errorCode: number; errorMessage: string }[] };
  const r = await kafkajsRequest<Res>(broker.port, 'alterConfigs', 0, { validateOnly: false, resources: [{ type: 2, name: 'orders', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
  assert.equal(r.resources[0]!.errorCode, 40);
  assert.match(r.resources[0]!.errorMessage, /not supported by this broker.*use delete/);
  const v1 = await kafkajsRequest<Res>(broker.port, 'alterConfigs', 1, { validateOnly: false, resources: [{ type: 2, name: 'plain', configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
  assert.equal(v1.resources[0]!.errorCode, 0);
  assert.equal((await topicConfigs('plain')).get('retention.ms')!.configValue, '60000', 'AlterConfigs v1');
});

/** IncrementalAlterConfigs v0, encoded here by hand from Kafka's IncrementalAlterConfigsRequest.json (kafkajs lacks it). */
function incrementalAlter(topic: string, configs: [string, number, string | null][]): Promise<{ errorCode: number; message: string | null }> {
  const str = (s: string) => Buffer.concat([Buffer.from([s.length >> 8, s.length & 255]), Buffer.from(s)]);
  const nstr = (s: string | null) => (s === null ? Buffer.from([0xff, 0xff]) : str(s));
  const i32 = (n: number) => Buffer.from([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const body = Buffer.concat([i32(1), Buffer.from([2]), str(topic), i32(configs.length), ...configs.map(([n, op, v]) => Buffer.concat([str(n), Buffer.from([op]), nstr(v)])), Buffer.from([0])]);
  const header = Buffer.concat([Buffer.from([0, 44, 0, 0]), i32(9), str('raw')]);
  const frame = Buffer.concat([i32(header.length + body.length), header, body]);
  return new Promise((resolve, reject) => {
    const s = connect(broker.port, '127.0.0.1', () => s.write(frame));
    let got = Buffer.alloc(0);
    s.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length < 4 || got.length < 4 + got.readInt32BE(0)) return;
      s.destroy();
      // size, correlation id, throttle, [1 result: error_code, error_message, type, name]
      assert.equal(got.readInt32BE(4), 9);
      assert.equal(got.readInt32BE(12), 1);
      const errorCode = got.readInt16BE(16);
      const len = got.readInt16BE(18);
      resolve({ errorCode, message: len < 0 ? null : got.subarray(20, 20 + len).toString() });
    });
    s.on('error', reject);
  });
}

test('IncrementalAlterConfigs v0: SET keeps the other configs, DELETE returns one to its default, APPEND of a non-list is refused', async () => {
  await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'plain', configEntries: [{ name: 'retention.bytes', value: '4096' }] }] });
  assert.deepEqual(await incrementalAlter('plain', [['retention.ms', 0, '120000']]), { errorCode: 0, message: null });
  let c = await topicConfigs('plain');
  assert.deepEqual([c.get('retention.ms')!.configValue, c.get('retention.bytes')!.configValue], ['120000', '4096'], 'retention.bytes kept');
  assert.equal((await incrementalAlter('plain', [['retention.bytes', 1, null]])).errorCode, 0);
  c = await topicConfigs('plain');
  assert.deepEqual([c.get('retention.ms')!.configValue, c.get('retention.bytes')!.configValue], ['120000', '-1']);
  const append = await incrementalAlter('plain', [['retention.ms', 2, '5']]);
  assert.equal(append.errorCode, 40);
  assert.match(append.message!, /append is not allowed for config key: retention.ms/);
  assert.equal((await incrementalAlter('plain', [['cleanup.policy', 2, 'compact']])).errorCode, 40, 'compaction is not implemented');
  assert.equal((await incrementalAlter('plain', [['cleanup.policy', 2, 'delete']])).errorCode, 0, 'delete is already the policy');
  assert.equal((await incrementalAlter('nope', [['retention.ms', 0, '1']])).errorCode, 3);
});

test('ApiVersions advertises exactly the versions implemented', async () => {
  type Res = { apiVersions: { apiKey: number; minVersion: number; maxVersion: number }[] };
  const r = await kafkajsRequest<Res>(broker.port, 'apiVersions', 2, {});
  const v = new Map(r.apiVersions.map((a) => [a.apiKey, [a.minVersion, a.maxVersion]]));
  assert.deepEqual([v.get(21), v.get(29), v.get(30), v.get(31), v.get(32), v.get(33), v.get(37), v.get(42), v.get(44)], [[0, 1], [0, 1], [0, 1], [0, 1], [0, 2], [0, 1], [0, 1], [0, 1], [0, 0]]);
});

test('ACL requests are answered SECURITY_DISABLED (no authorizer), as a Kafka broker without one does', async () => {
  // kafkajs's ACL enums, by number (not ESM named exports): TOPIC 2, LITERAL 3 / ANY 1, READ 3, ALLOW 3.
  const acl = { resourceType: 2, resourceName: 'orders', resourcePatternType: 3, principal: 'User:alice', host: '*', operation: 3, permissionType: 3 } as unknown as Parameters<Admin['createAcls']>[0]['acl'][number];
  const filter = { ...acl, resourcePatternType: 1, operation: 1, permissionType: 1 } as unknown as Parameters<Admin['describeAcls']>[0];
  assert.equal(await errorType(admin.describeAcls(filter)), 'SECURITY_DISABLED');
  assert.equal(await errorType(admin.createAcls({ acl: [acl] })), 'SECURITY_DISABLED');
  assert.equal(await errorType(admin.deleteAcls({ filters: [filter as unknown as Parameters<Admin['deleteAcls']>[0]['filters'][number]] })), 'SECURITY_DISABLED');
  // v0 (no pattern type) through kafkajs's codec, with the message.
  type Describe = { errorCode: number; errorMessage: string };
  const r = await kafkajsRequest<Describe>(broker.port, 'describeAcls', 0, { resourceType: 2, resourceName: 'orders', principal: 'User:alice', host: '*', operation: 1, permissionType: 1 });
  assert.equal(r.errorCode, 54);
  assert.match(r.errorMessage, /No Authorizer is configured on the broker/);
  const c = await kafkajsRequest<{ creationResponses: { errorCode: number }[] }>(broker.port, 'createAcls', 0, { creations: [{ resourceType: 2, resourceName: 'orders', principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }] });
  assert.deepEqual(c.creationResponses.map((x) => x.errorCode), [54]);
  const d = await kafkajsRequest<{ filterResponses: { errorCode: number; matchingAcls: unknown[] }[] }>(broker.port, 'deleteAcls', 0, { filters: [{ resourceType: 2, resourceName: 'orders', principal: 'User:alice', host: '*', operation: 1, permissionType: 1 }] });
  assert.deepEqual(d.filterResponses.map((x) => [x.errorCode, x.matchingAcls.length]), [[54, 0]]);
});

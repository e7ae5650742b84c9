import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intSetting, kafkaBrokers, port } from './env.js';

test('KAFKA_URL: scheme stripped, comma lists split, a clear error when missing', () => {
  assert.deepEqual(kafkaBrokers('kafka://127.0.0.1:9092'), ['127.0.0.1:9092']);
  assert.deepEqual(kafkaBrokers('kafka+ssl://a:9096, kafka+ssl://b:9096/'), ['a:9096', 'b:9096']);
  assert.deepEqual(kafkaBrokers('a:1,b:2'), ['a:1', 'b:2']);
  assert.throws(() => kafkaBrokers(undefined), /KAFKA_URL is not set/);
  assert.equal(port('5123'), 5123);
  assert.throws(() => port('http'), /not a port/);
});

test('tuning settings: the default when unset, a clear error when out of range', () => {
  assert.equal(intSetting('EDM_RELAY_MAX_IN_FLIGHT', undefined, 2, 1, 64), 2);
  assert.equal(intSetting('EDM_RELAY_MAX_IN_FLIGHT', '8', 2, 1, 64), 8);
  assert.throws(() => intSetting('EDM_RELAY_MAX_IN_FLIGHT', '0', 2, 1, 64), /EDM_RELAY_MAX_IN_FLIGHT=0: give a whole number from 1 to 64/);
});

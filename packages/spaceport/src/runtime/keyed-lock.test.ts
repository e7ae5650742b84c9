import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedLock } from './keyed-lock.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

test('sections sharing a key run one at a time; sections with no key in common overlap', async () => {
  const lock = new KeyedLock();
  const events: string[] = [];
  const section = (name: string, keys: string[]) =>
    lock.run(keys, async () => {
      events.push(`${name}+`);
      await tick();
      events.push(`${name}-`);
    });
  await Promise.all([section('a', ['pkg']), section('b', ['pkg', 'other']), section('c', ['solo'])]);
  // a and b share pkg: b starts only after a ended. c shares nothing: it starts before a ends.
  assert.ok(events.indexOf('b+') > events.indexOf('a-'), events.join(' '));
  assert.ok(events.indexOf('c+') < events.indexOf('a-'), events.join(' '));
  assert.deepEqual(lock.busy, [], 'every key is released');
});

test('keys wanted in opposite orders do not deadlock, and a failing section releases its keys', async () => {
  const lock = new KeyedLock();
  const done: string[] = [];
  await Promise.all([
    lock.run(['x', 'y'], async () => { await tick(); done.push('xy'); }),
    lock.run(['y', 'x'], async () => { await tick(); done.push('yx'); }),
    assert.rejects(lock.run(['x'], async () => { throw new Error('build failed'); }), /build failed/),
  ]);
  await lock.run(['x'], async () => { done.push('after'); });
  assert.deepEqual(done, ['xy', 'yx', 'after']);
  assert.deepEqual(lock.busy, []);
});

test('no keys: the section runs at once', async () => {
  const lock = new KeyedLock();
  assert.equal(await lock.run([], async () => 42), 42);
});

/** A build of an app using package version pkg@h1 that logs its start and end and exits with `status`. */
const builder = (lock: KeyedLock, events: string[]) => (name: string, status: number) =>
  lock.runUntilDone(
    ['pkg@h1'],
    async () => {
      events.push(`${name}+`);
      await tick();
      events.push(`${name}-`);
      return status;
    },
    (s) => s === 0,
  );

test('runUntilDone: the first section holding a key runs alone; once it succeeded, the waiting ones run side by side', async () => {
  const lock = new KeyedLock();
  const events: string[] = [];
  const build = builder(lock, events);
  await Promise.all([build('a', 0), build('b', 0), build('c', 0)]);
  assert.deepEqual(events.slice(0, 2), ['a+', 'a-'], 'a runs alone');
  assert.deepEqual(events.slice(2, 4).sort(), ['b+', 'c+'], `b and c start before either ends: ${events.join(' ')}`);
  assert.ok(lock.isDone('pkg@h1'));
  assert.deepEqual(lock.busy, []);
  // Done keys are not taken at all: a later section does not wait for anyone.
  assert.equal(await lock.runUntilDone(['pkg@h1'], async () => 7, () => true), 7);
});

test('runUntilDone: a failed first section hands the key to the next waiter, which then runs alone', async () => {
  const lock = new KeyedLock();
  const events: string[] = [];
  const build = builder(lock, events);
  await Promise.all([build('a', 1), build('b', 0), build('c', 0)]);
  assert.deepEqual(events.slice(0, 4), ['a+', 'a-', 'b+', 'b-'], `b builds the package alone after a failed: ${events.join(' ')}`);
  assert.deepEqual(events.slice(4), ['c+', 'c-']);
  // Another version of the package (another content hash) is another key: it is built again, alone.
  assert.ok(!lock.isDone('pkg@h2'));
});

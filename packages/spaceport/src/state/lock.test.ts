import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { StateStore } from './store.js';
import { LockError } from './lock.js';

const dir = mkdtempSync(join(tmpdir(), 'spaceport-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a second apply fails naming the holder pid, or waits for it', async () => {
  const store = new StateStore(join(dir, 'a'));
  const first = await store.lockForApply('spaceport apply', { timeoutMs: 0 });
  const second = new StateStore(join(dir, 'a'));
  await assert.rejects(second.lockForApply('spaceport apply', { timeoutMs: 0 }), (err: unknown) => {
    assert.ok(err instanceof LockError);
    assert.match(err.message, new RegExp(`locked by pid ${process.pid} \\(spaceport apply, since `));
    assert.match(err.message, /--lock-timeout/);
    return true;
  });
  let waited: number | undefined;
  setTimeout(() => first.release(), 150);
  const t0 = Date.now();
  const lock = await second.lockForApply('spaceport apply', { timeoutMs: 5000, onWait: (h) => (waited = h.pid) });
  assert.equal(waited, process.pid);
  assert.ok(Date.now() - t0 >= 100);
  lock.release();
});

test('a lock left by a dead process is taken over', async () => {
  const stateDir = join(dir, 'b');
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid!;
  await new Promise((r) => child.on('exit', r));
  const store = new StateStore(stateDir);
  store.update(() => {});
  writeFileSync(join(stateDir, 'apply.lock'), JSON.stringify({ pid, what: 'spaceport apply', since: 'then' }));
  const lock = await store.lockForApply('spaceport apply', { timeoutMs: 0 });
  lock.release();
});

test('updates from two processes are never lost', async () => {
  const stateDir = join(dir, 'c');
  new StateStore(stateDir).update(() => {});
  const script = `
    import { StateStore } from ${JSON.stringify(new URL('./store.ts', import.meta.url).href)};
    const s = new StateStore(${JSON.stringify(stateDir)});
    s.read();
    for (let i = 0; i < 100; i++) s.update((st) => { st.sections[process.argv[1] + i] = i; });
  `;
  const run = (tag: string) =>
    new Promise<number | null>((res) => {
      const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, tag], { stdio: 'inherit' });
      c.on('exit', res);
    });
  assert.deepEqual(await Promise.all([run('x'), run('y')]), [0, 0]);
  const st = new StateStore(stateDir).read();
  assert.equal(Object.keys(st.sections).length, 200);
  assert.equal(st.serial, 201);
  assert.equal(statSync(join(stateDir, 'state.json')).mode & 0o777, 0o600);
});

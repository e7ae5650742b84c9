import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync } from 'node:fs';
import { RouterLineReader, routerLogFd } from './router-log-pipe.js';

test('lines cut across reads are put back together; each is (time, app, message)', () => {
  const got: string[][] = [];
  const r = new RouterLineReader((t, a, m) => got.push([t, a, m]));
  const text = '2026-11-22T03:00:00.001Z\tapi\tat=info method=GET path="/a"\n2026-11-22T03:00:00.002Z\t\tat=error code=H400\n';
  // Every split point, including inside a tab pair and right after a newline.
  for (let cut = 0; cut <= text.length; cut++) {
    got.length = 0;
    r.push(Buffer.from(text.slice(0, cut), 'latin1'));
    r.push(Buffer.from(text.slice(cut), 'latin1'));
    assert.deepEqual(got, [
      ['2026-11-22T03:00:00.001Z', 'api', 'at=info method=GET path="/a"'],
      ['2026-11-22T03:00:00.002Z', '', 'at=error code=H400'],
    ], `cut at ${cut}`);
  }
});

test('what is not a whole line is dropped: a dead worker\'s fragment, ended by the main process', () => {
  const got: string[] = [];
  const r = new RouterLineReader((_t, _a, m) => got.push(m));
  // A fragment with no tab, one with a single tab, and one that ran into the next worker's line (a third tab).
  r.push(Buffer.from('at=info meth\n2026-11-22T03:00:00.003Z\tap\n2026-11-22T03:00:00.004Z\tapi\tat=in2026-11-22T03:00:00.005Z\tapi\tat=info\n', 'latin1'));
  r.push(Buffer.from('2026-11-22T03:00:00.006Z\tapi\tstatus=200 bytes=5\xe9\n', 'latin1'));
  assert.deepEqual(got, ['status=200 bytes=5\xe9']);
});

test('the fd comes from the environment, only above stderr and only when it is open', () => {
  const fd = openSync(process.execPath, 'r');
  try {
    assert.equal(routerLogFd({ SPACEPORT_ROUTER_LOG_FD: String(fd) }), fd);
  } finally {
    closeSync(fd);
  }
  assert.equal(routerLogFd({ SPACEPORT_ROUTER_LOG_FD: String(fd) }), undefined);
  assert.equal(routerLogFd({ SPACEPORT_ROUTER_LOG_FD: '' }), undefined);
  assert.equal(routerLogFd({ SPACEPORT_ROUTER_LOG_FD: '2' }), undefined);
  assert.equal(routerLogFd({}), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLogLine, useColour } from './format.js';
import type { LogLine } from '../runtime/log-line.js';

const line: LogLine = { time: '2026-11-21T17:00:00.123Z', source: 'app', app: 'api', dyno: 'web.1', message: 'hi' };

test('colours only on a TTY, never with NO_COLOR', (t) => {
  const saved = process.env.NO_COLOR;
  t.after(() => (saved === undefined ? delete process.env.NO_COLOR : (process.env.NO_COLOR = saved)));
  delete process.env.NO_COLOR;
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;
  assert.equal(useColour(pipe), false);
  if (process.env.TERM !== 'dumb') assert.equal(useColour(tty), true);
  process.env.NO_COLOR = '1';
  assert.equal(useColour(tty), false);
});

test("Heroku's line format; one colour per dyno", () => {
  assert.equal(renderLogLine(line, false), '2026-11-21T17:00:00.123Z app[api.web.1]: hi');
  assert.equal(renderLogLine({ ...line, app: '', source: 'spaceport', dyno: 'control-plane' }, false), '2026-11-21T17:00:00.123Z spaceport[control-plane]: hi');
  const a = renderLogLine(line, true);
  const b = renderLogLine({ ...line, message: 'other' }, true);
  const colourOf = (s: string) => /\x1b\[(\d+)m app\[/.exec(s.replace('\x1b[0m', ''))?.[1] ?? /\x1b\[(\d+)mapp\[/.exec(s)?.[1];
  assert.ok(colourOf(a));
  assert.equal(colourOf(a), colourOf(b), 'the same dyno keeps its colour');
  assert.match(a, /hi$/);
});

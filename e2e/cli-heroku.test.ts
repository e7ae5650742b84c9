/**
 * The Heroku workflow through the real CLI against a real space: run's "Running ... up, run.N" line and -e,
 * run:detached, ps:stop (ps:kill), config --shell, and config:unset of a var that is not set.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync, readdirSync } from 'node:fs';
import { makeSpace, FIXTURES, ps, until } from './runtime-support.js';

/** Pids of running `sleep 6791` processes (the one a test's one-off starts). */
function sleepers(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        return readFileSync(`/proc/${n}/cmdline`, 'utf8') === 'sleep\u00006791\u0000' && !/\) Z /.test(readFileSync(`/proc/${n}/stat`, 'utf8'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'spaceport', 'bin', 'spaceport.js');

const YAML = `name: h\napps:\n  a:\n    processes: { web: node web.mjs }\n`;

test('run prints "Running `CMD` on ⬢ app... up, run.N" on stderr, takes -e (repeated and ;-split) over config vars, and keeps the exit code', async (t) => {
  const space = makeSpace(t, YAML, { a: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  assert.equal((await space.cli(['config:set', 'GREETING=hello', '-a', 'a'])).code, 0);
  const script = 'console.log([process.env.GREETING, process.env.A, process.env.B, process.env.DYNO].join(" ")); process.exit(3)';
  const r = await space.cli(['run', '-a', 'a', '-e', 'GREETING=hi there', '-e', 'A=1;B=x=y', '--', 'node', '-e', script]);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, 'hi there 1 x=y run.1\n', 'stdout is the command\'s alone');
  assert.match(r.stderr, /^Running `node -e '.*'` on ⬢ a\.\.\. up, run\.1\n$/);
  // one argument is a shell command, shown as written
  const sh = await space.cli(['run', '-x', '-a', 'a', 'echo $GREETING']); // -x: Heroku's, accepted
  assert.deepEqual([sh.code, sh.stdout], [0, 'hello\n']);
  assert.match(sh.stderr, /^Running `echo \$GREETING` on ⬢ a\.\.\. up, run\.2\n$/);
  // usage errors: exit 2, saying what to write; nothing ran
  const bad = await space.cli(['run', '-a', 'a', '-e', 'NOEQUALS', '--', 'true']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^spaceport: -e NOEQUALS: write KEY=VALUE .*-e 'GREETING=hi;DEBUG=1'/m);
  const platform = await space.cli(['run', '-a', 'a', '-e', 'PORT=1', '--', 'true']);
  assert.equal(platform.code, 1);
  assert.match(platform.stderr, /PORT is set by the platform for every dyno; -e cannot override it/);

  // The terminal closes under a run (SIGHUP to its process group: the CLI and the command): nobody reports the
  // exit, and the run must not stay in ps for ever.
  const cli = spawn(process.execPath, [BIN, 'run', '-a', 'a', 'exec sleep 60'], { cwd: space.dir, stdio: 'ignore', detached: true });
  t.after(() => {
    try {
      process.kill(-cli.pid!, 'SIGKILL');
    } catch {}
  });
  await until(async () => (await ps(space, 'a')).some((x) => x.dyno === 'run.3' && x.state === 'up'), 10_000, 'run.3 up');
  process.kill(-cli.pid!, 'SIGHUP');
  await until(async () => !(await ps(space, 'a')).some((x) => x.dyno === 'run.3'), 15_000, 'run.3 to leave ps once its CLI and command are gone');
  assert.match((await space.cli(['logs', '-a', 'a', '-d', 'run.3'])).stdout, /Process exited: it exited, and the `spaceport run` attached to it is gone without reporting its status\n.*State changed from up to complete/);
});

test('run:detached runs in the background with its output in the log; ps:stop stops it for good, and a stopped web dyno is started again by the formation', async (t) => {
  const space = makeSpace(t, YAML, { a: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const d = await space.cli(['run:detached', '-a', 'a', '-e', 'WHO=bg', 'echo "detached $WHO $DYNO"; exec sleep 60']);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stderr, /^Running `echo "detached \$WHO \$DYNO"; exec sleep 60` on ⬢ a\.\.\. up, run\.1\n$/);
  assert.equal(d.stdout, 'Run `spaceport logs -a a -d run.1 -t` to view the output; `spaceport ps:stop run.1 -a a` stops it.\n');
  await until(async () => (await space.cli(['logs', '-a', 'a', '-d', 'run.1'])).stdout.includes('app[a.run.1]: detached bg run.1'), 10_000, 'the detached output in the log');
  await until(async () => (await ps(space, 'a')).some((x) => x.dyno === 'run.1' && x.state === 'up' && x.pid !== null), 5000, 'run.1 up in ps');
  const stop = await space.cli(['ps:stop', 'run.1', '-a', 'a']);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(stop.stderr, 'Stopping dyno run.1 on ⬢ a... done\n');
  assert.equal(stop.stdout, 'Stopped run.1.\n');
  // never restarted: gone from ps, and still gone after the first back-off would have brought it back
  assert.deepEqual((await ps(space, 'a')).map((x) => x.dyno), ['web.1']);
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual((await ps(space, 'a')).map((x) => x.dyno), ['web.1']);
  const log = (await space.cli(['logs', '-a', 'a', '-d', 'run.1'])).stdout;
  assert.match(log, /spaceport\[a\.run\.1\]: Stopping all processes with SIGTERM\n.*spaceport\[a\.run\.1\]: Process exited with status 143\n.*spaceport\[a\.run\.1\]: State changed from up to complete\n/);
  assert.equal(log.match(/Starting process/g)?.length, 1, 'started once');

  // -t follows its output to its end, and exits with its status
  const tail = await space.cli(['run:detached', '-t', '-a', 'a', 'echo one; echo two >&2; exit 4']);
  assert.equal(tail.code, 4, tail.stdout + tail.stderr);
  // (stdout and stderr are two pipes: their lines may come in either order)
  assert.match(tail.stdout, /app\[a\.run\.2\]: one\n/);
  assert.match(tail.stdout, /app\[a\.run\.2\]: two\n/);
  assert.match(tail.stdout, /spaceport\[a\.run\.2\]: Process exited with status 4\n.*spaceport\[a\.run\.2\]: State changed from up to complete\n$/);

  // a web dyno of the formation: stopped, then started again as a new instance, and the CLI says so
  const before = (await ps(space, 'a')).find((x) => x.dyno === 'web.1')!;
  const web = await space.cli(['ps:kill', 'web.1', '-a', 'a']);
  assert.equal(web.code, 0, web.stderr);
  assert.equal(web.stderr, 'Stopping dyno web.1 on ⬢ a... done\n');
  assert.match(web.stdout, /^web\.1 is part of a's formation \(web=1\), so it was started again, as Heroku's dyno manager does\. To keep it stopped, scale down: `spaceport ps:scale web=0 -a a`\n$/);
  const after = await ps(space, 'a');
  assert.equal(after.length, 1);
  assert.notEqual(after[0]!.pid, before.pid, 'a new instance');
  assert.equal(after[0]!.restarts, 0);

  // an attached run: its pid gets the SIGTERM, and its CLI exits with the command's status (143)
  const attached = space.cli(['run', '-a', 'a', 'exec sleep 60']);
  await until(async () => (await ps(space, 'a')).some((x) => x.dyno === 'run.3' && x.pid !== null), 10_000, 'the attached run.3 up');
  assert.equal((await space.cli(['ps:stop', 'run.3', '-a', 'a'])).code, 0);
  const ended = await attached;
  assert.equal(ended.code, 143, ended.stderr);
  assert.match(ended.stderr, /^Running `exec sleep 60` on ⬢ a\.\.\. up, run\.3\n$/);
  assert.deepEqual((await ps(space, 'a')).map((x) => x.dyno), ['web.1']);
  // a compound command: its shell is not the command, and dies of SIGTERM; what it started must not outlive it
  t.after(() => sleepers().forEach((pid) => process.kill(pid, 'SIGKILL'))); // if the test fails: not recorded in state
  const compound = space.cli(['run', '-a', 'a', 'sleep 6791; echo never']);
  await until(async () => (await ps(space, 'a')).some((x) => x.dyno === 'run.4' && x.pid !== null), 10_000, 'the attached run.4 up');
  await until(() => sleepers().length > 0, 5000, 'its sleep to run');
  assert.equal((await space.cli(['ps:stop', 'run.4', '-a', 'a'])).code, 0);
  const done = await compound;
  assert.equal(done.code, 143, done.stderr);
  assert.doesNotMatch(done.stdout, /never/);
  await until(() => sleepers().length === 0, 5000, 'the sleep it started to be gone too');

  const none = await space.cli(['ps:stop', 'run.9', '-a', 'a']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /spaceport: a has no dyno run\.9 running; see `spaceport ps -a a`/);
  const malformed = await space.cli(['ps:stop', 'web 1', '-a', 'a']);
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /^spaceport: web 1: name a dyno \(web\.1, run\.2\) or a process type \(web\)/m);
});

test('config --shell prints KEY=value lines a shell reads back; config:unset of a var that is not set makes no release', async (t) => {
  const space = makeSpace(t, YAML, { a: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  assert.equal((await space.cli(['config:set', "MSG=it's $HOME; `x`", 'PLAIN=a/b:c', '-a', 'a'])).code, 0);
  const shell = await space.cli(['config', '--shell', '-a', 'a']);
  assert.equal(shell.code, 0, shell.stderr);
  assert.equal(shell.stdout, "MSG='it'\\''s $HOME; `x`'\nPLAIN=a/b:c\n");
  const back = execFileSync('sh', ['-c', 'eval "$(cat)"; printf "%s|%s" "$MSG" "$PLAIN"'], { input: shell.stdout, encoding: 'utf8' });
  assert.equal(back, "it's $HOME; `x`|a/b:c");
  const both = await space.cli(['config', '--shell', '--json', '-a', 'a']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--json and --shell are two formats of the same list: give one of them/);

  const releases = async () => (JSON.parse((await space.cli(['releases', '--json', '-a', 'a'])).stdout) as unknown[]).length;
  const n = await releases();
  const none = await space.cli(['config:remove', 'NOPE', '-a', 'a']); // Heroku's alias
  assert.deepEqual(none, { code: 0, stdout: '', stderr: 'NOPE is not set on ⬢ a: nothing to unset, no release made\n' });
  assert.equal(await releases(), n, 'no release for nothing');
  const some = await space.cli(['config:unset', 'PLAIN', 'NOPE', '-a', 'a']);
  assert.equal(some.code, 0, some.stderr);
  assert.equal(some.stderr, `NOPE is not set on ⬢ a: skipping it\nUnsetting PLAIN and restarting ⬢ a... done, v${n + 1}\n`);
  assert.equal(await releases(), n + 1);
  assert.deepEqual(JSON.parse((await space.cli(['config', '--json', '-a', 'a'])).stdout), { MSG: "it's $HOME; `x`" });
});

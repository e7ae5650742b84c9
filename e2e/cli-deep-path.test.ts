/**
 * A space in a directory deep enough that its control socket's absolute path passes the 107 bytes a unix socket
 * allows: it starts and answers the CLI run from its directory (the socket reached by its relative path); run from
 * where even that is too long, the CLI says what to do instead of knocking at a cut-short path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './runtime-support.js';

test('a space whose socket path is over 107 bytes starts, and the CLI reaches it from the space', async (t) => {
  const top = mkdtempSync(join(tmpdir(), 'sp-deep-'));
  const dir = join(top, 'a-project-folder-with-a-long-name', 'and-another-one-below-it-also-long', 'space');
  assert.ok(Buffer.byteLength(join(dir, '.spaceport', 'control.sock')) > 107, 'the fixture is deep enough');
  mkdirSync(join(dir, 'web'), { recursive: true });
  writeFileSync(join(dir, 'spaceport.yaml'), 'name: deep\napps:\n  web:\n    processes:\n      web: node server.mjs\ngateway:\n  listen: 0\n  workers: 1\n');
  writeFileSync(join(dir, 'web', 'server.mjs'), "import { createServer } from 'node:http';\ncreateServer((q, r) => r.end('deep')).listen(Number(process.env.PORT), '127.0.0.1');\n");
  t.after(async () => {
    await runCli(dir, ['down'], { timeoutMs: 15_000 });
    rmSync(top, { recursive: true, force: true });
  });

  const up = await runCli(dir, ['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const ps = await runCli(join(dir, 'web'), ['ps', '--json']);
  assert.equal(ps.code, 0, ps.stderr);
  assert.deepEqual((JSON.parse(ps.stdout) as { dyno: string; state: string }[]).map((d) => [d.dyno, d.state]), [['web.1', 'up']]);

  // From / the relative path is as long as the absolute one: a clear refusal, nothing sent to a cut-short path.
  const far = await runCli('/', ['ps', '-f', dir]);
  assert.equal(far.code, 1);
  assert.match(far.stderr, /the control socket path \S+control\.sock is \d+ bytes, longer than the 107 a unix socket allows, and so is its path from the current directory; run spaceport from the space's directory \(cd \S+\/space\) or move the space to a shorter path/);

  const down = await runCli(dir, ['down']);
  assert.equal(down.code, 0, down.stderr);
});

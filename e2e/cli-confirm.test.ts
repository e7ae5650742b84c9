/**
 * Commands that delete data ask for the name of what they delete, as Heroku's do: typed at a prompt on a
 * terminal (a real pty, through util-linux `script`), or `--confirm NAME` for scripts; without a terminal and
 * without --confirm they refuse and say how. Checked on `topics:delete` against a running broker, and on
 * `destroy --include-data` (the space's name) of a stopped space.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSpace } from './runtime-support.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'spaceport', 'bin', 'spaceport.js');

const YAML = `name: confirm-space
gateway:
  listen: 127.0.0.1:0
  workers: 1
addons:
  bus:
    type: kafka
    port: 0
    topics:
      orders: { partitions: 1 }
apps:
  api:
    addons: [bus]
    processes:
      web: node web.mjs
`;
const WEB = `import { createServer } from 'node:http';
createServer((q, r) => r.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');`;

/** Runs the CLI on a pseudo-terminal and types `answer` once the prompt shows; resolves with the exit code and the terminal's text. */
function onTerminal(cwd: string, args: string[], answer: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let out = '';
    let typed = false;
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
      reject(new Error(`no answer from the CLI on a terminal:\n${out}`));
    }, 20_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (!typed && out.includes('\n> ')) {
        typed = true;
        child.stdin!.write(`${answer}\r`);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out });
    });
  });
}

async function topicNames(space: ReturnType<typeof makeSpace>): Promise<string[]> {
  const r = await space.cli(['topics', '--json']);
  return (JSON.parse(r.stdout) as { topics: { name: string }[] }).topics.map((t) => t.name);
}

test('topics:delete asks for the topic name on a terminal, takes --confirm NAME, and refuses otherwise', async (t) => {
  const space = makeSpace(t, YAML, { api: { 'web.mjs': WEB } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  assert.equal((await space.cli(['topics:create', 'scratch'])).code, 0);

  // No terminal, no --confirm: refused, with the way to go on; nothing deleted.
  const refused = await space.cli(['topics:delete', 'orders']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /This deletes topic orders of bus with its 0 record\(s\) and the committed offsets of it\. It is declared in spaceport\.yaml: `spaceport apply` would create it again, empty\. To proceed, pass --confirm orders \(`spaceport topics:delete orders --confirm orders`\), or run it on a terminal and type orders when asked\./);
  const wrong = await space.cli(['topics:delete', 'orders', '--confirm', 'scratch']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /--confirm scratch does not match the topic "orders"; nothing was changed/);
  const missing = await space.cli(['topics:delete', 'nope', '--confirm', 'nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /topic nope does not exist in bus; list topics with `spaceport topics`/);
  assert.deepEqual(await topicNames(space), ['orders', 'scratch']);

  // On a terminal: a wrong name changes nothing, the right one deletes.
  const typo = await onTerminal(space.dir, ['topics:delete', 'scratch'], 'scrach');
  assert.equal(typo.code, 1, typo.out);
  assert.match(typo.out, /WARNING: Destructive action[\s\S]*To proceed, type scratch or re-run this command with --confirm scratch/);
  assert.match(typo.out, /confirmation did not match scratch; nothing was changed/);
  assert.deepEqual(await topicNames(space), ['orders', 'scratch']);
  const typed = await onTerminal(space.dir, ['topics:delete', 'scratch'], 'scratch');
  assert.equal(typed.code, 0, typed.out);
  assert.match(typed.out, /Deleted topic scratch from bus\./);
  assert.deepEqual(await topicNames(space), ['orders']);

  // A script says the name.
  const scripted = await space.cli(['topics:delete', 'orders', '--confirm', 'orders']);
  assert.equal(scripted.code, 0, scripted.stderr);
  assert.deepEqual(await topicNames(space), []);
});

test('destroy --include-data asks for the space\'s name (--auto-approve is not enough), typed on a terminal or --confirm NAME', async (t) => {
  // A stopped space: destroy needs no running control plane, and its data directories are what goes.
  const space = makeSpace(t, `name: dd\napps:\n  api:\n    processes: { web: node web.mjs }\n`, { api: { 'web.mjs': WEB } });
  const data = join(space.dir, '.spaceport', 'postgres', 'db');
  mkdirSync(data, { recursive: true });
  writeFileSync(join(data, 'PG_VERSION'), '16\n');

  const refused = await space.cli(['destroy', '--include-data', '--auto-approve']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /This forgets 0 recorded resource\(s\) of the space dd and deletes its databases and topics with their data\. To proceed, pass --confirm dd \(`spaceport destroy --include-data --confirm dd`\), or run it on a terminal and type dd when asked\./);
  const wrong = await space.cli(['destroy', '--include-data', '--confirm', 'other']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /--confirm other does not match the space "dd"; nothing was changed/);
  assert.ok(existsSync(data), 'nothing deleted');

  // Terraform's "yes" is not the name.
  const yes = await onTerminal(space.dir, ['destroy', '--include-data'], 'yes');
  assert.equal(yes.code, 1, yes.out);
  assert.match(yes.out, /To proceed, type dd or re-run this command with --confirm dd/);
  assert.match(yes.out, /confirmation did not match dd; nothing was changed/);
  assert.ok(existsSync(data), 'nothing deleted');
  const typed = await onTerminal(space.dir, ['destroy', '--include-data'], 'dd');
  assert.equal(typed.code, 0, typed.out);
  assert.match(typed.out, /Destroy complete!/);
  assert.ok(!existsSync(data), 'the data went');

  mkdirSync(data, { recursive: true });
  const scripted = await space.cli(['destroy', '--include-data', '--confirm', 'dd']);
  assert.equal(scripted.code, 0, scripted.stderr);
  assert.ok(!existsSync(data), 'the data went');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'spaceport.js');

function cli(args: string[]): { code: number; out: string; err: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'sp-usage-')); // no spaceport.yaml: nothing here needs a space
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

test('usage errors exit 2 (commander\'s and malformed arguments), other failures 1, help 0', () => {
  for (const args of [['bogus'], ['scale'], ['scale', 'web=x'], ['config:set', 'NOVALUE'], ['logs', '-n', 'abc'], ['rollback', 'latest'], ['ps', '--bogus'], ['run']]) {
    assert.equal(cli(args).code, 2, args.join(' '));
  }
  assert.equal(cli(['ps']).code, 1); // no space here: a failure, not a usage error
  assert.equal(cli(['--help']).code, 0);
  assert.equal(cli(['scale', '--help']).code, 0);
});

test('plan keeps 1 for usage errors: with --detailed-exitcode, 2 means "there are changes"', () => {
  const r = cli(['plan', '--detailed-exitcode', '--bogus']);
  assert.equal(r.code, 1);
  assert.match(r.err, /unknown option '--bogus'/);
});

test('a Terraform-style one-dash long option is told the two-dash spelling', () => {
  const r = cli(['apply', '-auto-approve']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option '-auto-approve' \(long options take two dashes: --auto-approve\)/);
  assert.match(cli(['plan', '-json']).err, /two dashes: --json/);
  assert.doesNotMatch(cli(['apply', '-x']).err, /two dashes/); // a real short-option typo gets no made-up hint
});

test('Heroku\'s ps:scale and ps:restart work; rollback and run explain their arguments', () => {
  assert.match(cli(['ps:scale', '--help']).out, /Usage: spaceport scale\|ps:scale \[options\] <TYPE=N\.\.\.>/);
  const restart = cli(['ps:restart', '--help']).out;
  assert.match(restart, /Usage: spaceport restart\|ps:restart/);
  assert.doesNotMatch(restart, /needs -a\n/, 'a space of one app restarts web.1 without -a');
  assert.equal(cli(['ps:scale', 'web=1']).code, 1); // parsed as scale: fails only for want of a space
  const rollback = cli(['rollback', '--help']).out;
  assert.match(rollback, /Arguments:\n\s+version\s+the release to run again.*v3/s);
  const run = cli(['run', '--help']).out;
  assert.match(run, /Options go before the command/);
  assert.match(run, /spaceport run -a api -- node migrate\.js --dry-run/);
});

test('topics: a malformed --partitions or -n is a usage error that says what to give (tail -n abc exited 0, printing nothing)', () => {
  const create = cli(['topics:create', 'orders', '--partitions', 'abc']);
  assert.equal(create.code, 2);
  assert.match(create.err, /^spaceport: --partitions abc: give a whole number of partitions from 1 to 1000$/m);
  assert.equal(cli(['topics:create', 'orders', '--partitions', '0']).code, 2);
  assert.equal(cli(['topics:create', 'orders', '--partitions', '1001']).code, 2);
  const tail = cli(['topics:tail', 'orders', '-n', 'abc']);
  assert.equal(tail.code, 2);
  assert.match(tail.err, /^spaceport: -n abc: give a whole number of records, at least 1$/m);
  assert.equal(cli(['topics:tail', 'orders', '-n', '3']).code, 1); // well formed: fails only for want of a space
});

test('a command typed from Heroku, Terraform or Kafka habit is told what to type instead (apps was guessed as apply)', () => {
  const apps = cli(['apps']);
  assert.equal(apps.code, 2);
  assert.match(apps.err, /^error: unknown command 'apps': `spaceport status` lists the apps of the space/m);
  assert.doesNotMatch(apps.err, /Did you mean/);
  assert.match(cli(['kafka:topics']).err, /unknown command 'kafka:topics': `spaceport topics`/);
  assert.match(cli(['open']).err, /`spaceport status` prints the gateway URL/);
  const init = cli(['init']);
  assert.equal(init.code, 2);
  assert.match(init.err, /unknown command 'init': there is nothing to initialise: a space is one spaceport\.yaml, such as\n  name: my-space\n  apps:\n    web: \{ processes: \{ web: node server\.js \} \}/);
  assert.match(cli(['show']).err, /`spaceport state show ADDRESS`/);
  // Other unknown commands keep commander's guess.
  assert.match(cli(['logz']).err, /unknown command 'logz'\n\(Did you mean logs\?\)/);
  // Names of Object.prototype are commands like any other: `constructor` failed with "register is not a function".
  const proto = cli(['constructor']);
  assert.equal(proto.code, 2);
  assert.match(proto.err, /^error: unknown command 'constructor'\n/);
});

test('help of a command that does not exist says so (it printed the whole help, exit 2, not a word about it)', () => {
  const apps = cli(['help', 'apps']);
  assert.equal(apps.code, 2);
  assert.match(apps.err, /^error: unknown command 'apps': `spaceport status` lists the apps/m);
  assert.doesNotMatch(apps.err + apps.out, /Usage: spaceport \[options\] \[command\]/);
  assert.match(cli(['help', 'logz']).err, /unknown command 'logz'\n\(Did you mean logs\?\)/);
  assert.match(cli(['help', 'ps:scale']).out, /Usage: spaceport scale\|ps:scale/, 'an alias is a command');
  assert.equal(cli(['help']).code, 0);
});

test("output takes Terraform's --raw (-raw is told the two dashes); --raw needs a NAME", () => {
  const one = cli(['output', '-raw', 'url']);
  assert.equal(one.code, 2);
  assert.match(one.err, /unknown option '-raw' \(long options take two dashes: --raw\)/);
  const bare = cli(['output', '--raw']);
  assert.equal(bare.code, 2);
  assert.match(bare.err, /--raw prints one output: name it/);
  assert.equal(cli(['output', '--raw', 'url']).code, 1); // well formed: fails only for want of a space
});

test('-v and -version print the version, as -V and --version do (they were unknown options)', () => {
  for (const flag of ['-v', '-version', '-V', '--version']) {
    const r = cli([flag]);
    assert.equal(r.code, 0, flag);
    assert.match(r.out, /^\d+\.\d+\.\d+\n$/, flag);
  }
  assert.equal(cli(['ps', '-v']).code, 2, 'only as the whole command line');
});

test("scale web=2:standard-2x (Heroku's dyno size) is told to drop the size", () => {
  const r = cli(['scale', 'web=2:standard-2x']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^spaceport: web=2:standard-2x: dynos have no size here \(each is a process of this machine\): write web=2$/m);
});

/**
 * `up -d`: spawns the control plane detached (its own session and process group, output to
 * `.spaceport/logs/control-plane.log`), which validates the config and reports over IPC; exits: 0 once every dyno is up,
 * 1 with the reason otherwise (build failed, release failed, R10, a crash...).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { nodeMain } from '../runtime/node-main.js';
import type { DaemonResult } from '../control/daemon.js';
import type { DynoInfo } from '../runtime/dyno.js';
import { call, socketOf } from './client.js';
import { CliError } from './errors.js';
import { detachedProgress } from './detached-progress.js';
import { locateSpace, recordOwner } from './space.js';
import { table, useColour } from './format.js';
import { upSummary, type UpStatus } from './up-summary.js';

export async function upDetached(file?: string): Promise<void> {
  const paths = locateSpace(file);
  socketOf(paths); // a space this CLI could not talk to once up (a socket path too long from here) is not started
  const running = await call(paths, 'GET', '/v1/status').then(() => true, () => false);
  if (running) throw new CliError(`the space in ${paths.dir} is already running; \`spaceport apply\` makes it match spaceport.yaml (after an edit), \`spaceport down\` stops it`);
  recordOwner(paths);
  mkdirSync(join(paths.stateDir, 'logs'), { recursive: true, mode: 0o700 });
  const logFile = join(paths.stateDir, 'logs', 'control-plane.log');
  const out = openSync(logFile, 'a', 0o600);
  const main = nodeMain('control/daemon.ts');
  const child = spawn(main.command, [...main.args, paths.file], { cwd: paths.dir, detached: true, stdio: ['ignore', out, out, 'ipc'] });
  closeSync(out);
  // Ctrl-C ends this wait only: the control plane runs on its own (detached). Without a word it looked cancelled.
  // Installed before the first line, so a Ctrl-C right after it is not the default, silent exit.
  let progress: Awaited<ReturnType<typeof detachedProgress>> | undefined;
  const interrupted = () => {
    progress?.stop();
    console.error(`\nStopped waiting. The space goes on starting in the background: \`spaceport ps\` shows it, \`spaceport logs -t\` follows it, \`spaceport down\` stops it.`);
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  console.error(`Starting the space in ${paths.dir} ...`);
  const done = new Promise<DaemonResult>((resolve) => {
    child.once('message', (m) => resolve(m as DaemonResult));
    child.once('exit', (code) => resolve({ ok: false, reason: `the control plane exited with status ${code}; see ${relative(process.cwd(), logFile)}` }));
  });
  // On a terminal, the foreground's progress line while it starts (builds can take a minute in silence).
  progress = process.stderr.isTTY ? await detachedProgress(paths, process.stderr).catch(() => undefined) : undefined;
  const result = await done.finally(() => {
    progress?.stop();
    process.off('SIGINT', interrupted);
  });
  child.removeAllListeners('exit');
  if (child.connected) child.disconnect();
  child.unref();
  for (const d of result.diagnostics ?? []) console.error(d);
  if (!result.ok) {
    const keeps = result.hint ?? 'The space keeps running (dynos restart with back-off): `spaceport logs` shows why, `spaceport down` stops it.';
    const hint = result.running ? `\n${keeps}` : '';
    throw new CliError(`up failed: ${result.reason}${hint}`);
  }
  const dynos = await call<DynoInfo[]>(paths, 'GET', '/v1/ps');
  console.log(table(['APP', 'DYNO', 'STATE', 'PORT', 'RELEASE'], dynos.map((d) => [d.app, d.dyno, d.state, String(d.port), d.release])));
  const { loadSpace } = await import('../config/load.js');
  const { space } = await loadSpace(paths.file);
  if (space) {
    const { text, problems } = upSummary(space, await call<UpStatus>(paths, 'GET', '/v1/status'), useColour(process.stderr));
    for (const p of problems) console.error(`Warning: ${p}`);
    console.error(text);
  }
}

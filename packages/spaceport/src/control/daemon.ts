/**
 * The detached control plane (`spaceport up -d`): `node daemon.js <spaceport.yaml>`. It reports the outcome
 * of the start to its parent over IPC ({ok} or {ok: false, reason, running}), then runs until `down` or a
 * signal. Its own stdout/stderr go to `.spaceport/logs/control-plane.log`.
 */
import { loadSpaceOrThrow } from '../config/load.js';
import { ControlPlane } from './plane.js';
import { installExitHandlers } from './lifecycle.js';

export interface DaemonResult {
  ok: boolean;
  reason?: string;
  /** Whether the space keeps running after a failed start (a dyno crashed; build failures stop it). */
  running?: boolean;
}

function report(r: DaemonResult): void {
  if (process.send) process.send(r, () => void (process.connected && process.disconnect()));
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    report({ ok: false, reason: 'usage: daemon.js <spaceport.yaml>' });
    process.exit(2);
  }
  let plane: ControlPlane;
  try {
    plane = new ControlPlane(await loadSpaceOrThrow(file));
  } catch (err) {
    report({ ok: false, reason: (err as Error).message });
    process.exit(1);
  }
  installExitHandlers(plane);
  let r: DaemonResult;
  try {
    r = await plane.start();
  } catch (err) {
    r = { ok: false, reason: (err as Error).message };
  }
  if (r.ok || r.running) return report(r);
  // A start that failed for good: stop everything (logs flushed) before the CLI hears of it.
  plane.onStopped = () => {};
  await plane.stop();
  report(r);
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 1000).unref();
}

void main();

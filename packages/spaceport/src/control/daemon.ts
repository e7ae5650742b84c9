/**
 * The detached control plane (`spaceport up -d`): `node daemon.js <spaceport.yaml>`. It reports the outcome
 * of the start to its parent over IPC ({ok} or {ok: false, reason, running}), then runs until `down` or a
 * signal. Its own stdout/stderr go to `.spaceport/logs/control-plane.log`.
 */
import { loadSpace } from '../config/load.js';
import { formatDiagnostic } from '../config/diagnostics.js';
import { ControlPlane } from './plane.js';
import { installExitHandlers } from './lifecycle.js';
import { FAILED_RELEASE_HINT, failedStartRelease, newestReleases } from './start-releases.js';

export interface DaemonResult {
  ok: boolean;
  reason?: string;
  /** Whether the space keeps running after a failed start (a dyno crashed; build failures stop it). */
  running?: boolean;
  /** What to do next, when the space keeps running (the CLI has a default for a crash). */
  hint?: string;
  /** Config diagnostics (warnings, or the errors that stopped the start), formatted file:line:column. */
  diagnostics?: string[];
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
  // The config is validated here, not in the CLI, so `up -d` loads the config parser once.
  const { space, diagnostics } = await loadSpace(file);
  const printed = diagnostics.map(formatDiagnostic);
  if (!space) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    process.exitCode = 1;
    report({ ok: false, reason: `${n} error${n === 1 ? '' : 's'} in ${file}; fix ${n === 1 ? 'it' : 'them'} and run up again`, diagnostics: printed });
    return;
  }
  try {
    plane = new ControlPlane(space);
  } catch (err) {
    report({ ok: false, reason: (err as Error).message, diagnostics: printed });
    process.exitCode = 1;
    return;
  }
  installExitHandlers(plane);
  let r: DaemonResult;
  const before = newestReleases(plane.state.read(), Object.keys(space.config.apps));
  try {
    r = await plane.start();
  } catch (err) {
    r = { ok: false, reason: (err as Error).message };
  }
  const release = r.ok ? failedStartRelease(plane.state.read(), before) : undefined;
  if (release) r = { ok: false, running: true, reason: plane.withLastOutput(release), hint: FAILED_RELEASE_HINT };
  if (r.ok || r.running) return report({ ...r, diagnostics: printed });
  // A start that failed for good: stop everything (logs flushed) before the CLI hears of it.
  plane.onStopped = () => {};
  await plane.stop();
  report({ ...r, diagnostics: printed });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 1000).unref();
}

void main();

/**
 * How a control-plane process ends: SIGTERM/SIGINT/SIGHUP stop the space cleanly (a second signal kills the
 * children at once); whatever way the process exits, no child group outlives it.
 */
import type { ControlPlane } from './plane.js';

export function installExitHandlers(plane: ControlPlane): void {
  plane.onStopped = () => process.exit(process.exitCode ?? 0);
  let signalled = false;
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (signalled) {
        plane.killChildrenNow();
        process.exit(1);
      }
      signalled = true;
      void plane.stop();
    });
  }
  process.on('exit', () => plane.killChildrenNow());
  process.on('uncaughtException', (err) => {
    console.error('spaceport control plane: uncaught exception:', err);
    plane.killChildrenNow();
    process.exit(1);
  });
}

/** GET /v1/status (spaceport status) and POST /v1/down (spaceport down). */
import type { Router } from '../router.js';
import type { ControlPlane } from '../plane.js';
import { currentRelease } from '../../runtime/releases.js';

export function statusRoutes(router: Router, plane: ControlPlane): void {
  router.add('GET', '/v1/status', () => {
    const dynos = plane.runtime.dynos();
    const state = plane.state.read();
    const apps: Record<string, unknown> = {};
    for (const [name] of plane.runtime.formations) {
      const counts: Record<string, { up: number; total: number }> = {};
      for (const d of dynos.filter((x) => x.app === name)) {
        const c = (counts[d.type] ??= { up: 0, total: 0 });
        c.total += 1;
        if (d.state === 'up') c.up += 1;
      }
      const rel = currentRelease(state, name);
      apps[name] = { release: rel ? `v${rel.version}` : null, dynos: counts };
    }
    const services: Record<string, unknown> = {};
    for (const s of plane.services) {
      try {
        services[s.name] = s.status();
      } catch (err) {
        services[s.name] = { error: (err as Error).message };
      }
    }
    return {
      name: plane.space.config.name,
      file: plane.space.file,
      pid: process.pid,
      phase: plane.phase,
      error: plane.error ?? null,
      startedAt: plane.startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - plane.startedAt.getTime()) / 1000),
      apps,
      services,
      logs: { buffered: plane.logs.ring.length, dropped: plane.logs.dropped },
    };
  });

  router.add('POST', '/v1/down', () => {
    // Answer first, then stop: the CLI waits for the control plane's pid to go away.
    setImmediate(() => void plane.stop());
    return { stopping: true, pid: process.pid };
  });
}

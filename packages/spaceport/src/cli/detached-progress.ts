/**
 * `up -d` on a terminal: the foreground's progress line (builds, dynos up, latest platform event) while the
 * detached control plane starts, fed by following its log stream, so a start with long builds is not a silent
 * wait. Best effort: anything failing here leaves only the progress line out, never the start.
 */
import { request, type ClientRequest } from 'node:http';
import type { LogLine } from '../runtime/log-line.js';
import { eachLine } from './client.js';
import { reachableSocketPath } from '../control/socket-path.js';
import type { SpacePaths } from './space.js';
import { StartProgress } from './start-progress.js';

export async function detachedProgress(paths: SpacePaths, out: NodeJS.WriteStream): Promise<{ stop(): void }> {
  const { loadSpace } = await import('../config/load.js');
  const { space } = await loadSpace(paths.file).catch(() => ({ space: undefined }));
  if (!space) return { stop() {} }; // the control plane reports the config's errors
  const progress = new StartProgress(space, out);
  progress.start();
  let stopped = false;
  let req: ClientRequest | undefined;
  let retry: NodeJS.Timeout | undefined;
  const follow = () => {
    if (stopped) return;
    // Every line since the control plane started (its buffer holds this start only), then new ones.
    req = request({ socketPath: reachableSocketPath(paths.socket) ?? paths.socket, path: '/v1/logs?n=10000&follow=1' }, (res) => {
      eachLine(res, (text) => {
        try {
          progress.observe(JSON.parse(text) as LogLine);
        } catch {
          // not a line: leave it
        }
      });
      res.on('error', () => {});
    });
    // Until the control plane listens, its socket is missing: try again shortly.
    req.on('error', () => {
      if (!stopped) retry = setTimeout(follow, 200);
    });
    req.end();
  };
  follow();
  return {
    stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      req?.destroy();
      progress.stop();
    },
  };
}

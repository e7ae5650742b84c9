/**
 * Main module of a gateway worker process. It takes its config, dyno tables and metrics requests over
 * IPC (never argv or env: the config holds the internal key), and sends router log batches back (or, as
 * the only worker, writes them to the control plane's router-log pipe: router-log-pipe.ts).
 * Run under the gateway parent (main.ts, node:cluster) or alone, as the tests do.
 */
import { loadAllPlugins } from './plugins/catalog.js';
import type { FromWorker, ToGateway } from './ipc.js';
import { GatewayWorker } from './worker.js';
import { warmUp } from './warm-up.js';
import { openRouterLogPipe, routerLogFd } from './router-log-pipe.js';

if (!process.send) {
  console.error('gateway worker: start it with an IPC channel (the gateway parent does)');
  process.exit(2);
}
const send = (msg: FromWorker) => {
  if (process.connected) process.send!(msg);
};
// Messages are handled in order; the first waits for the plugins to load (the listener must exist before
// any message arrives, or IPC drops it).
let worker!: GatewayWorker;
let queue: Promise<void> = loadAllPlugins().then((plugins) => {
  warmUp(plugins);
  const fd = routerLogFd();
  worker = new GatewayWorker(plugins, send, fd === undefined ? undefined : openRouterLogPipe(fd));
});

process.on('message', (raw) => {
  const msg = raw as ToGateway;
  switch (msg.type) {
    case 'config':
      queue = queue.then(() => worker.configure(msg.config)).catch((err: Error) => send({ type: 'warn', message: `config rejected: ${err.message}` }));
      break;
    case 'dynos':
      queue = queue.then(() => {
        worker.setDynos(msg.dynos);
        // Applied synchronously: from here on no request picks a dyno this table took out of rotation.
        if (msg.seq !== undefined) send({ type: 'dynos-applied', seq: msg.seq });
      });
      break;
    case 'counter-totals':
      // Queued like config: totals that arrive while the worker still loads must not be lost.
      if (worker) worker.shared.apply(msg.totals);
      else queue = queue.then(() => worker.shared.apply(msg.totals));
      break;
    case 'metrics-req': {
      if (!worker) break;
      const snapshot = worker.metrics.snapshot();
      snapshot['spaceport_gateway_requests_total'] = worker.counters.requests;
      for (const [code, n] of Object.entries(worker.counters.errors)) snapshot[`spaceport_gateway_errors_total{code="${code}"}`] = n;
      send({ type: 'metrics', id: msg.id, snapshot });
      break;
    }
    case 'shutdown':
      void queue.then(() => worker.close()).then(() => process.exit(0));
      break;
  }
});

// The parent sends nothing before this: messages that arrive before a listener exists are lost.
send({ type: 'hello' });

const stop = () => void (worker ? worker.close() : Promise.resolve()).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// A worker whose parent died must not linger.
process.on('disconnect', () => void (worker ? worker.close(2000) : Promise.resolve()).then(() => process.exit(0)));

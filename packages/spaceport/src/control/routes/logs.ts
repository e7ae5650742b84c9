/**
 * GET /v1/logs?n=&app=&dyno=&source=&follow=1: NDJSON of log lines, the newest n first then, with follow,
 * every new line. A follower whose socket lags loses lines (counted, L10) instead of growing memory.
 */
import type { Router } from '../router.js';
import type { ControlPlane } from '../plane.js';
import { ControlError } from '../router-types.js';
import type { LogFilter } from '../../runtime/logs/log-hub.js';
import { didYouMean } from '../../config/did-you-mean.js';

const FOLLOWER_MAX_QUEUED = 1024 * 1024;

export function logRoutes(router: Router, plane: ControlPlane): void {
  router.add('GET', '/v1/logs', (req, res) => {
    const q = req.query;
    const n = q.has('n') ? Number(q.get('n')) : 100;
    if (!Number.isInteger(n) || n < 0) throw new ControlError(400, 'bad_n', '-n takes a whole number of lines');
    const source = q.get('source') ?? undefined;
    if (source && !['app', 'router', 'spaceport'].includes(source)) throw new ControlError(400, 'bad_source', `-s is app, router or spaceport, not ${source}`);
    const filter: LogFilter = { app: q.get('app') ?? undefined, dyno: q.get('dyno') ?? undefined, source: source as LogFilter['source'] };
    // -a names an app, or a platform component seen in the stream (gateway, addons.db): a misspelt one would
    // otherwise print nothing, and with -t wait forever.
    const known = (a: string) => plane.runtime.formations.has(a) || plane.services.some((x) => x.name === a) || plane.logs.tail(1, { app: a }).length > 0;
    if (filter.app && !known(filter.app)) {
      const names = [...plane.runtime.formations.keys()];
      const guess = didYouMean(filter.app, names);
      throw new ControlError(404, 'unknown_app', `no app named ${filter.app} in this space; ${guess ? `did you mean ${guess}?` : `apps: ${names.join(', ') || 'none'}`}`);
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const lines = plane.logs.tail(n, filter);
    res.write(lines.map((l) => JSON.stringify(l) + '\n').join(''));
    if (q.get('follow') !== '1') {
      res.end();
      return undefined;
    }
    const stop = plane.logs.follow(filter, {
      deliver: (l) => {
        if (res.writableLength > FOLLOWER_MAX_QUEUED) return false;
        res.write(JSON.stringify(l) + '\n');
        return true;
      },
      end: () => res.end(),
    });
    res.on('close', stop);
    return undefined;
  });
}

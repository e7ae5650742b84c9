/**
 * Control API routes behind `spaceport topics*` and `spaceport groups`; each forwards to the broker's admin
 * endpoint. The add-on is `?addon=` (or `{addon}` in a body); when omitted and the space has exactly one
 * Kafka add-on, that one.
 *   GET    /v1/topics                    topics with partitions, offsets and bytes
 *   POST   /v1/topics {name, partitions} create
 *   PATCH  /v1/topics/:name              {partitions?, retentionMs?, retentionBytes?}: grow, retention
 *   DELETE /v1/topics/:name?confirm=NAME delete (the name repeated, or 400 confirmation_required)
 *   POST   /v1/topics/:name/rename       {to}: rename in place, keeping records and committed offsets
 *   GET    /v1/topics/:name/records      ?from=beginning|end&positions=..&wait=ms — long-poll for topics:tail
 *   GET    /v1/groups                    groups with members, assignments, offsets and lag
 */
import { ControlError, type ControlRequest } from '../control/router-types.js';
import type { ServiceContext } from '../control/service.js';
import { EmbeddedBroker } from './embedded.js';
import type { ExternalKafka } from './external.js';

export function registerTopicRoutes(ctx: ServiceContext, services: Map<string, EmbeddedBroker | ExternalKafka>): void {
  const pick = (req: ControlRequest): EmbeddedBroker => {
    const body = (req.body ?? {}) as { addon?: string };
    const name = req.query.get('addon') ?? body.addon;
    const names = [...services.keys()];
    let svc: EmbeddedBroker | ExternalKafka | undefined;
    if (!name) {
      if (names.length === 0) throw new ControlError(404, 'no_kafka', 'this space has no kafka add-on; declare one under addons: with type: kafka');
      if (names.length > 1) throw new ControlError(400, 'addon_required', `this space has several kafka add-ons (${names.join(', ')}); name one with --addon`);
      svc = services.get(names[0]!);
    } else {
      svc = services.get(name);
      if (!svc) throw new ControlError(404, 'no_such_addon', `no kafka add-on named "${name}"${names.length ? ` (kafka add-ons: ${names.join(', ')})` : ''}`);
    }
    if (!(svc instanceof EmbeddedBroker)) throw new ControlError(400, 'external_kafka', `${svc!.name} is an external cluster (${svc!.status().url}); use that cluster's own tools`);
    return svc;
  };
  const forward = async (svc: EmbeddedBroker, method: string, path: string, body?: unknown): Promise<unknown> => {
    let res: { status: number; body: unknown };
    try {
      res = await svc.admin(method, path, body);
    } catch (err) {
      throw new ControlError(503, 'broker_unavailable', `${svc.name}: ${(err as Error).message}`);
    }
    const error = (res.body as { error?: { code: string; message: string } }).error;
    if (res.status >= 400 && error) throw new ControlError(res.status, error.code, error.message);
    return { addon: svc.addon, ...(res.body as object) };
  };

  ctx.control.add('GET', '/v1/topics', (req) => forward(pick(req), 'GET', '/v1/topics'));
  // Changes the broker applies are kept in its data (topic.json): its restarts after a crash start from there.
  ctx.control.add('POST', '/v1/topics', async (req) => {
    const body = (req.body ?? {}) as { name?: unknown; partitions?: unknown };
    const svc = pick(req);
    return forward(svc, 'POST', '/v1/topics', { name: body.name, partitions: body.partitions });
  });
  ctx.control.add('PATCH', '/v1/topics/:name', async (req) => {
    const body = (req.body ?? {}) as { partitions?: unknown; retentionMs?: unknown; retentionBytes?: unknown };
    const svc = pick(req);
    return forward(svc, 'PATCH', `/v1/topics/${encodeURIComponent(req.params.name!)}`, { partitions: body.partitions, retentionMs: body.retentionMs, retentionBytes: body.retentionBytes });
  });
  ctx.control.add('POST', '/v1/topics/:name/rename', async (req) => {
    const body = (req.body ?? {}) as { to?: unknown };
    const svc = pick(req);
    return forward(svc, 'POST', `/v1/topics/${encodeURIComponent(req.params.name!)}/rename`, { to: body.to });
  });
  // Deleting loses the records: the caller repeats the topic's name (`?confirm=NAME`, or `{confirm}` in a body),
  // as the CLI's --confirm does, so a wrong path or a stray script cannot delete a topic on its own.
  ctx.control.add('DELETE', '/v1/topics/:name', async (req) => {
    const name = req.params.name!;
    const confirm = req.query.get('confirm') ?? (req.body as { confirm?: unknown } | undefined)?.confirm;
    const how = `send confirm=${name} (DELETE /v1/topics/${encodeURIComponent(name)}?confirm=${encodeURIComponent(name)}; the CLI: spaceport topics:delete ${name} --confirm ${name})`;
    if (confirm === undefined || confirm === null || confirm === '') {
      throw new ControlError(400, 'confirmation_required', `deleting topic ${name} deletes its records and the committed offsets of it: ${how}`);
    }
    if (confirm !== name) throw new ControlError(400, 'confirmation_mismatch', `confirm=${String(confirm)} does not match the topic ${name}: ${how}`);
    const svc = pick(req);
    return forward(svc, 'DELETE', `/v1/topics/${encodeURIComponent(name)}`);
  });
  ctx.control.add('GET', '/v1/topics/:name/records', (req) => {
    const q = new URLSearchParams();
    for (const k of ['from', 'positions', 'wait', 'max']) {
      const v = req.query.get(k);
      if (v !== null) q.set(k, v);
    }
    return forward(pick(req), 'GET', `/v1/topics/${encodeURIComponent(req.params.name!)}/records?${q}`);
  });
  ctx.control.add('GET', '/v1/groups', (req) => forward(pick(req), 'GET', '/v1/groups'));
}

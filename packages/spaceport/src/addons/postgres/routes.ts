/**
 * Control API routes behind `spaceport pg:*`. The add-on is `?addon=` (GET) or `{addon}` (POST); when
 * omitted and the space has exactly one Postgres add-on, that one. Each route is also served per add-on as
 * `/v1/addons/:name/pg/...` (such as `GET /v1/addons/db/pg/info`).
 *   GET  /v1/pg/info            version, connections, size (URL masked)
 *   GET  /v1/pg/credentials     the full URL, for pg:psql (the control API is owner-only)
 *   GET  /v1/pg/backups         list
 *   POST /v1/pg/backups         capture
 *   POST /v1/pg/backups/restore {backup}
 *   POST /v1/pg/reset           {confirm: <addon name>}
 */
import type { ServiceContext } from '../../control/service.js';
import { ControlError, type ControlHandler, type ControlRequest } from '../../control/router-types.js';
import { captureBackup, listBackups, restoreBackup } from './backups.js';
import { EmbeddedPostgres } from './embedded.js';
import { readInfo } from './info.js';
import { resetDatabase } from './reset.js';
import { serverUser } from './run-as.js';
import type { PostgresService } from './service.js';

export function registerPgRoutes(ctx: ServiceContext, services: Map<string, PostgresService>): void {
  const add = (method: string, path: string, handler: ControlHandler) => {
    ctx.control.add(method, `/v1/pg${path}`, handler);
    ctx.control.add(method, `/v1/addons/:name/pg${path}`, handler);
  };
  const pick = (req: ControlRequest): PostgresService => {
    const body = (req.body ?? {}) as { addon?: string };
    const name = req.params.name ?? req.query.get('addon') ?? body.addon;
    const names = [...services.keys()];
    if (!name) {
      if (names.length === 1) return services.get(names[0]!)!;
      if (names.length === 0) throw new ControlError(404, 'no_postgres', 'this space has no postgres add-on; declare one under addons: with type: postgres');
      throw new ControlError(400, 'addon_required', `this space has several postgres add-ons (${names.join(', ')}); name one`);
    }
    const svc = services.get(name);
    if (!svc) throw new ControlError(404, 'no_such_addon', `no postgres add-on named "${name}"${names.length ? ` (postgres add-ons: ${names.join(', ')})` : ''}`);
    return svc;
  };
  const embedded = (svc: PostgresService, what: string): EmbeddedPostgres => {
    if (!(svc instanceof EmbeddedPostgres)) throw new ControlError(400, 'external_database', `${what} works on the embedded server only; ${svc.name} is an external database`);
    return svc;
  };
  const fail = (err: unknown, code: string): never => {
    if (err instanceof ControlError) throw err;
    throw new ControlError(500, code, (err as Error).message);
  };

  add('GET', '/info', async (req) => {
    const svc = pick(req);
    return readInfo(svc.addon, svc.url(), svc instanceof EmbeddedPostgres).catch((e) => fail(e, 'pg_unavailable'));
  });
  add('GET', '/credentials', (req) => {
    const svc = pick(req);
    return { addon: svc.addon, url: svc.url() };
  });
  add('GET', '/backups', (req) => {
    const name = req.params.name ?? req.query.get('addon') ?? undefined;
    return { backups: listBackups(ctx.space.stateDir, name) };
  });
  add('POST', '/backups', async (req) => {
    const svc = embedded(pick(req), 'pg:backups:capture');
    const major = Number.parseInt(svc.serverVersion ?? '0', 10);
    return captureBackup(svc, ctx.space.stateDir, major).catch((e) => fail(e, 'backup_failed'));
  });
  add('POST', '/backups/restore', async (req) => {
    const { backup } = (req.body ?? {}) as { backup?: string };
    const all = listBackups(ctx.space.stateDir);
    const b = all.find((x) => x.id === backup || x.file.endsWith(`/${backup}`));
    if (!b) throw new ControlError(404, 'no_such_backup', `no backup "${backup ?? ''}"; list them with spaceport pg:backups${all.length ? ` (${all.map((x) => x.id).join(', ')})` : ''}`);
    const body = (req.body ?? {}) as { addon?: string };
    const svc = embedded(body.addon || req.params.name ? pick(req) : (services.get(b.addon) ?? pick(req)), 'pg:backups:restore');
    await restoreBackup(svc, b, serverUser()).catch((e) => fail(e, 'restore_failed'));
    return { restored: b.id, addon: svc.addon };
  });
  add('POST', '/reset', async (req) => {
    const svc = embedded(pick(req), 'pg:reset');
    const { confirm } = (req.body ?? {}) as { confirm?: string };
    if (confirm !== svc.addon) {
      throw new ControlError(400, 'confirm_required', `pg:reset deletes every table of ${svc.name}; to proceed, pass --confirm ${svc.addon}`);
    }
    return resetDatabase(svc, ctx.state).catch((e) => fail(e, 'reset_failed'));
  });
}

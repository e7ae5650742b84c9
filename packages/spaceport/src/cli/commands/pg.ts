/**
 * `spaceport pg:*`, as on Heroku: pg:info, pg:psql, pg:credentials:url, pg:backups (list), pg:backups:capture,
 * pg:backups:restore, pg:reset. They talk to the running control plane (`.spaceport/control.sock`); ADDON may be
 * left out when the space has one Postgres add-on.
 */
import type { Command } from 'commander';

interface FileOpt {
  file?: string;
}

export function register(program: Command): void {
  const fileOpt = ['-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)'] as const;

  program
    .command('pg:info [addon]')
    .description('Show a Postgres add-on: version, connections, data size, URL (password masked)')
    .option(...fileOpt)
    .option('--json', 'print JSON')
    .action(async (addon: string | undefined, opts: FileOpt & { json?: boolean }) => {
      const { formatInfo } = await import('../../addons/postgres/info.js');
      const info = await call(opts, 'GET', '/v1/pg/info', { addon });
      console.log(opts.json ? JSON.stringify(info, null, 2) : formatInfo(info as never));
    });

  program
    .command('pg:psql [addon]')
    .description('Open a psql session on a Postgres add-on')
    .option(...fileOpt)
    .option('-c, --command <sql>', 'run one command and exit')
    .action(async (addon: string | undefined, opts: FileOpt & { command?: string }) => {
      const { findClientTool } = await import('../../addons/postgres/binaries.js');
      const { libpqEnv } = await import('../../addons/postgres/backups.js');
      const { spawn } = await import('node:child_process');
      const psql = findClientTool('psql');
      if (!psql) {
        throw new Error(
          'psql is not installed (the embedded PostgreSQL binaries do not include it); install a client: ' +
            '`apt-get install postgresql-client` (Debian/Ubuntu), `brew install libpq` (macOS), or set SPACEPORT_PG_BIN to a directory holding psql',
        );
      }
      const { url } = (await call(opts, 'GET', '/v1/pg/credentials', { addon })) as { url: string };
      // The password goes by env (PGPASSWORD), never argv.
      const args = opts.command ? ['-v', 'ON_ERROR_STOP=1', '-c', opts.command] : [];
      const child = spawn(psql.path, args, { stdio: 'inherit', env: { ...process.env, ...libpqEnv(url) } });
      // psql handles Ctrl-C itself (it cancels the query); the CLI must not die of it.
      const ignore = () => {};
      process.on('SIGINT', ignore);
      const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
      process.off('SIGINT', ignore);
      process.exitCode = code;
    });

  program
    .command('pg:credentials:url [addon]')
    .description('Print the full connection URL of a Postgres add-on, password included (for other tools)')
    .option(...fileOpt)
    .action(async (addon: string | undefined, opts: FileOpt) => {
      const { url } = (await call(opts, 'GET', '/v1/pg/credentials', { addon })) as { url: string };
      console.log(url);
    });

  program
    .command('pg:backups [addon]')
    .description('List the backups in .spaceport/backups/')
    .option(...fileOpt)
    .option('--json', 'print JSON')
    .action(async (addon: string | undefined, opts: FileOpt & { json?: boolean }) => {
      const { listBackups } = await import('../../addons/postgres/backups.js');
      const { humanBytes } = await import('../../addons/postgres/info.js');
      const backups = listBackups(await stateDir(opts), addon);
      if (opts.json) return console.log(JSON.stringify({ backups }, null, 2));
      if (backups.length === 0) return console.log(`No backups. Capture one with: spaceport pg:backups:capture${addon ? ` ${addon}` : ''}`);
      const { table } = await import('../format.js');
      console.log('=== Backups');
      console.log(table(['ID', 'CREATED AT', 'ADD-ON', 'KIND', 'SIZE'], backups.map((b) => [b.id, b.createdAt, b.addon, b.kind, humanBytes(b.sizeBytes)])));
    });

  program
    .command('pg:backups:capture [addon]')
    .description('Capture a backup of a Postgres add-on into .spaceport/backups/')
    .option(...fileOpt)
    .action(async (addon: string | undefined, opts: FileOpt) => {
      const { humanBytes } = await import('../../addons/postgres/info.js');
      const b = (await call(opts, 'POST', '/v1/pg/backups', undefined, { addon })) as { id: string; addon: string; kind: string; file: string; sizeBytes: number };
      console.log(`Backup ${b.id} of ${b.addon} captured (${b.kind}, ${humanBytes(b.sizeBytes)}): ${b.file}`);
      console.log(`Restore it with: spaceport pg:backups:restore ${b.id} ${b.addon} --confirm ${b.addon}`);
    });

  program
    .command('pg:backups:restore <backup> [addon]')
    .description("Restore a backup into a Postgres add-on, replacing its data (asks for the add-on's name)")
    .option(...fileOpt)
    .option('--confirm <addon>', 'the add-on name, to confirm without a prompt')
    .action(async (backup: string, addon: string | undefined, opts: FileOpt & { confirm?: string }) => {
      const { listBackups } = await import('../../addons/postgres/backups.js');
      const found = listBackups(await stateDir(opts)).find((b) => b.id === backup);
      if (!found) throw new (await import('../errors.js')).CliError(`no backup "${backup}"; list them with spaceport pg:backups`);
      const target = addon ?? found.addon;
      await confirm(opts.confirm, target, `This replaces every table of ${target} with backup ${backup}.`, `spaceport pg:backups:restore ${backup} ${target}`);
      const r = (await call(opts, 'POST', '/v1/pg/backups/restore', undefined, { backup, addon: target })) as { restored: string; addon: string };
      console.log(`Restored ${r.restored} into ${r.addon}`);
    });

  program
    .command('pg:reset [addon]')
    .description('Delete every table of a Postgres add-on: drops and recreates its database')
    .option(...fileOpt)
    .option('--confirm <addon>', 'the add-on name, to confirm without a prompt')
    .action(async (addon: string | undefined, opts: FileOpt & { confirm?: string }) => {
      const info = (await call(opts, 'GET', '/v1/pg/info', { addon })) as { addon: string };
      await confirm(opts.confirm, info.addon, `This deletes all data of ${info.addon}.`, `spaceport pg:reset ${info.addon}`);
      const r = (await call(opts, 'POST', '/v1/pg/reset', undefined, { addon: info.addon, confirm: info.addon })) as { database: string };
      console.log(`Reset ${info.addon}: database ${r.database} is empty`);
    });
}

/** Goes on only with the add-on's name: from --confirm, or typed at a prompt on a terminal (cli/confirm-name.ts). */
async function confirm(given: string | undefined, name: string, what: string, command: string): Promise<void> {
  const { confirmName } = await import('../confirm-name.js');
  await confirmName({ given, name, kind: 'add-on', what, command });
}

async function stateDir(opts: FileOpt): Promise<string> {
  const { locateSpace } = await import('../space.js');
  return locateSpace(opts.file).stateDir;
}

/** One request to the control API of the space (its unix socket); `query` values left undefined are dropped. */
async function call(opts: FileOpt, method: string, path: string, query?: Record<string, string | undefined>, body?: unknown): Promise<unknown> {
  const { locateSpace } = await import('../space.js');
  const client = await import('../client.js');
  const qs = new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return client.call(locateSpace(opts.file), method, qs ? `${path}?${qs}` : path, body);
}

/** `spaceport status [--json]`: the space's name, uptime, apps with dyno counts, and each platform service. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('status')
    .description("Show the running space: name, uptime, apps and dyno counts, platform services")
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { file?: string; json?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      type Status = {
        name: string; pid: number; phase: string; error: string | null; uptimeSeconds: number;
        apps: Record<string, { release: string | null; dynos: Record<string, { up: number; total: number }> }>;
        services: Record<string, Record<string, unknown>>;
        logs: { buffered: number; dropped: number };
      };
      const s = await call<Status>(locateSpace(opts.file), 'GET', '/v1/status');
      if (opts.json) return void console.log(JSON.stringify(s, null, 2));
      const up = s.uptimeSeconds;
      console.log(`=== ${s.name} (${s.phase}, up ${Math.floor(up / 3600)}h ${Math.floor((up % 3600) / 60)}m ${up % 60}s, control plane pid ${s.pid})`);
      if (s.error) console.log(`error: ${s.error}`);
      for (const [name, a] of Object.entries(s.apps)) {
        const counts = Object.entries(a.dynos).map(([t, c]) => `${t} ${c.up}/${c.total} up`).join(', ') || 'no dynos';
        console.log(`app ${name}: ${a.release ?? 'no release'}, ${counts}`);
      }
      const { serviceLine } = await import('../status-format.js');
      for (const [name, st] of Object.entries(s.services)) {
        const line = serviceLine(name, st);
        if (line) console.log(line);
      }
      if (s.logs.dropped) console.log(`logs: ${s.logs.dropped} lines dropped under load`);
    });
}

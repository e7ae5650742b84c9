/** `spaceport rollback [vN] -a APP`: run an earlier release's build and config again, as a new release. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('rollback')
    .description('Return an app to an earlier release (default: the one before the current), without rebuilding')
    .argument('[version]', 'the release to run again, as `spaceport releases` lists it: v3 (or 3); default: the one before the current')
    .option('-a, --app <app>', 'the app (required when the space has several)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .action(async (version: string | undefined, opts: { app?: string; file?: string }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { resolveApp } = await import('../app-option.js');
      const { usageError } = await import('../errors.js');
      if (version !== undefined && !/^v?\d+$/.test(version)) throw usageError(`${version} is not a release: write it like v3 (see \`spaceport releases\`)`);
      const space = locateSpace(opts.file);
      const app = await resolveApp(space, opts.app);
      const target = version ? `v${version.replace(/^v/, '')}` : 'the previous release';
      console.error(`Rolling back ${app} to ${target}...`);
      const r = await call<{ release: string; description: string }>(space, 'POST', `/v1/apps/${encodeURIComponent(app)}/rollback`, version ? { version } : {});
      console.log(`Rolled back ${app}: ${r.release} (${r.description})`);
    });
}

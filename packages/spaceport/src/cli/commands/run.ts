/**
 * `spaceport run -a APP -- CMD...`: a one-off dyno `run.N`. The CLI asks the control plane for the dyno's
 * name and env (over the 0600 socket, never argv) and spawns the command itself, so stdin/stdout/stderr are
 * the user's terminal as they are; the exit code is passed through. Never restarted.
 */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('run')
    .description('Run a one-off dyno with the app\'s env, attached to this terminal; exits with its status')
    .argument('<CMD...>', 'the command: one argument runs through sh -c (quote it: \'echo $PORT\'), several run as argv')
    .option('-a, --app <app>', 'the app (required when the space has several)')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .passThroughOptions()
    .addHelpText(
      'after',
      `
Options go before the command: from the command on, every argument is the command's (its own -a or --help).
Examples:
  spaceport run -a api -- node migrate.js --dry-run
  spaceport run -a api 'echo $DATABASE_URL'
  spaceport run -a api bash`,
    )
    .action(async (cmd: string[], opts: { app?: string; file?: string }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { resolveApp } = await import('../app-option.js');
      const { spawn } = await import('node:child_process');
      const space = locateSpace(opts.file);
      const app = await resolveApp(space, opts.app);
      const base = `/v1/apps/${encodeURIComponent(app)}/runs`;
      const command = cmd.join(' ');
      const r = await call<{ dyno: string; cwd: string; env: Record<string, string> }>(space, 'POST', base, { command });
      const [file, args] = cmd.length === 1 ? ['sh', ['-c', cmd[0]!]] : [cmd[0]!, cmd.slice(1)];
      const child = spawn(file, args as string[], { cwd: r.cwd, env: r.env, stdio: 'inherit' });
      // Ctrl-C reaches the child through the terminal; we stay alive to report its status.
      const ignore = () => {};
      process.on('SIGINT', ignore);
      process.on('SIGQUIT', ignore);
      process.on('SIGTERM', () => child.kill('SIGTERM'));
      const status = await new Promise<number>((resolve) => {
        child.once('spawn', () => void call(space, 'POST', `${base}/${r.dyno}/started`, { pid: child.pid }).catch(() => undefined));
        child.once('error', (e) => {
          console.error(`spaceport: cannot run ${file}: ${e.message}`);
          resolve(127);
        });
        child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
      });
      await call(space, 'POST', `${base}/${r.dyno}/exited`, { status }).catch(() => undefined);
      process.exit(status);
    });
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

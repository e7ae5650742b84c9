/**
 * `spaceport run -a APP [-e K=V] -- CMD...`: a one-off dyno `run.N`. The CLI asks the control plane for the
 * dyno's name and env (over the 0600 socket, never argv) and spawns the command itself, so stdin/stdout/stderr
 * are the user's terminal as they are; the exit code is passed through. Never restarted. Heroku's
 * "Running `CMD` on ⬢ app... up, run.N" goes to stderr, so stdout is the command's alone.
 * `run:detached` asks the control plane to run it instead: output to the space's log, `logs -d run.N` shows it.
 */
import type { Command } from 'commander';

interface RunOpts {
  app?: string;
  file?: string;
  env?: string[];
}

const envHelp = "a variable for this dyno only, KEY=VALUE; repeat it, or split several by ';' (-e 'A=1;B=2')";

export function register(program: Command): void {
  const collectEnv = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command('run')
    .description("Run a one-off dyno with the app's env, attached to this terminal; exits with its status")
    .argument('<CMD...>', "the command: one argument runs through sh -c (quote it: 'echo $PORT'), several run as argv")
    .option('-a, --app <app>', 'the app (required when the space has several)')
    .option('-e, --env <KEY=VALUE>', envHelp, collectEnv)
    .option('-x, --exit-code', "Heroku's flag, accepted so its command lines work: the exit code is always the command's")
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .passThroughOptions()
    .addHelpText(
      'after',
      `
Options go before the command: from the command on, every argument is the command's (its own -a or --help).
Examples:
  spaceport run -a api -- node migrate.js --dry-run
  spaceport run -a api 'echo $DATABASE_URL'
  spaceport run -a api -e DEBUG=1 -e 'LOG_LEVEL=debug;DRY_RUN=1' node task.js
  spaceport run -a api bash`,
    )
    .action(async (cmd: string[], opts: RunOpts) => {
      const { spawn } = await import('node:child_process');
      const { shellCommand } = await import('../../runtime/shell-command.js');
      const { space, app, call, command, base, r } = await create(cmd, opts, false);
      // One argument is a shell command, run as a dyno's is (a simple one exec'd: the pid is the command's own,
      // so `ps:stop` reaches it); several are argv, no shell.
      const [file, args] = cmd.length === 1 ? ['sh', ['-c', shellCommand(cmd[0]!)]] : [cmd[0]!, cmd.slice(1)];
      const child = spawn(file, args as string[], { cwd: r.cwd, env: r.env, stdio: 'inherit' });
      // Ctrl-C reaches the child through the terminal; we stay alive to report its status.
      const ignore = () => {};
      process.on('SIGINT', ignore);
      process.on('SIGQUIT', ignore);
      process.on('SIGTERM', () => child.kill('SIGTERM'));
      const status = await new Promise<number>((resolve) => {
        child.once('spawn', () => {
          process.stderr.write(`Running \`${command}\` on ⬢ ${app}... up, ${r.dyno}\n`);
          void call(space, 'POST', `${base}/${r.dyno}/started`, { pid: child.pid }).catch(() => undefined);
        });
        child.once('error', (e) => {
          process.stderr.write(`Running \`${command}\` on ⬢ ${app}... failed, ${r.dyno}\n`);
          console.error(`spaceport: cannot run ${file}: ${e.message}`);
          resolve(127);
        });
        child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
      });
      await call(space, 'POST', `${base}/${r.dyno}/exited`, { status }).catch(() => undefined);
      process.exit(status);
    });

  program
    .command('run:detached')
    .description("Run a one-off dyno in the background: its output goes to the space's log (`logs -d run.N`)")
    .argument('<CMD...>', "the command: one argument runs through sh -c (quote it: 'echo $PORT'), several are quoted as words")
    .option('-a, --app <app>', 'the app (required when the space has several)')
    .option('-e, --env <KEY=VALUE>', envHelp, collectEnv)
    .option('-t, --tail', 'follow its output (logs -t -d run.N) instead of returning, until it exits; then exit with its status')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .passThroughOptions()
    .addHelpText(
      'after',
      `
It runs until it exits, or \`spaceport ps:stop run.N\` stops it; it is never restarted, and \`down\` stops it.
Examples:
  spaceport run:detached -a api -- node backfill.js --since 2026-01-01
  spaceport run:detached -a api -e BATCH=500 'node reindex.js'`,
    )
    .action(async (cmd: string[], opts: RunOpts & { tail?: boolean }) => {
      const { space, app, command, r } = await create(cmd, opts, true);
      process.stderr.write(`Running \`${command}\` on ⬢ ${app}... up, ${r.dyno}\n`);
      const follow = `spaceport logs -a ${app} -d ${r.dyno} -t`;
      if (!opts.tail) {
        console.log(`Run \`${follow}\` to view the output; \`spaceport ps:stop ${r.dyno} -a ${app}\` stops it.`);
        return;
      }
      const { stream } = await import('../client.js');
      const { renderLogLine, useColour } = await import('../format.js');
      const colour = useColour();
      process.stdout.on('error', () => process.exit(0));
      // From its first line (it may have started printing already), until it completes: then exit with its status.
      const q = new URLSearchParams({ n: '10000', app, dyno: r.dyno, follow: '1' });
      let status = 0;
      await stream(space, `/v1/logs?${q}`, (item) => {
        const line = item as import('../../runtime/log-line.js').LogLine;
        process.stdout.write(renderLogLine(line, colour) + '\n');
        if (line.source !== 'spaceport' || line.dyno !== r.dyno) return;
        const exited = /^Process exited with status (\d+)$/.exec(line.message);
        if (exited) status = Number(exited[1]);
        if (/^State changed from \w+ to complete$/.test(line.message)) process.exit(status);
      });
    });
}

/** Names the one-off dyno (and, detached, starts it) in the control plane; returns what the CLI needs to go on. */
async function create(cmd: string[], opts: RunOpts, detached: boolean) {
  const { parseRunEnv } = await import('../run-env.js');
  const { commandLine } = await import('../shell-quote.js');
  const env = parseRunEnv(opts.env); // a usage error before anything is asked of the space
  const { locateSpace } = await import('../space.js');
  const { call } = await import('../client.js');
  const { resolveApp } = await import('../app-option.js');
  const space = locateSpace(opts.file);
  const app = await resolveApp(space, opts.app);
  const base = `/v1/apps/${encodeURIComponent(app)}/runs`;
  const command = commandLine(cmd);
  const r = await call<{ dyno: string; cwd: string; env: Record<string, string> }>(space, 'POST', base, { command, env, ...(detached ? { detached: true } : {}) });
  return { space, app, call, command, base, r };
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

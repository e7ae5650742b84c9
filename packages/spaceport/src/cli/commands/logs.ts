/** `spaceport logs [-t] [-n N] [-a APP] [-d DYNO] [-s SOURCE] [--json]`: the merged log stream; with the
 * space down, the newest lines of its log file. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('logs')
    .description('Show the log stream: `time source[app.dyno]: message`; -t follows it')
    .option('-t, --tail', 'keep following new lines')
    .option('-n, --num <n>', 'number of recent lines', '100')
    .option('-a, --app <app>', 'only this app')
    .option('-d, --dyno <dyno>', 'only this dyno (web.1) or process type (web)')
    .option('-s, --source <source>', 'only app, router or spaceport lines')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'one JSON object per line: {time, source, app, dyno, message}')
    .action(async (opts: { tail?: boolean; num: string; app?: string; dyno?: string; source?: string; file?: string; json?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { stream } = await import('../client.js');
      const { renderLogLine, useColour } = await import('../format.js');
      const { usageError } = await import('../errors.js');
      if (!/^\d+$/.test(opts.num)) throw usageError(`-n ${opts.num}: give a whole number of lines`);
      const q = new URLSearchParams({ n: opts.num });
      if (opts.app) q.set('app', opts.app);
      if (opts.dyno) q.set('dyno', opts.dyno);
      if (opts.source) q.set('source', opts.source);
      if (opts.tail) q.set('follow', '1');
      const colour = !opts.json && useColour();
      type LogLine = import('../../runtime/log-line.js').LogLine;
      process.stdout.on('error', () => process.exit(0)); // `logs | head` closes the pipe
      const space = locateSpace(opts.file);
      let printed = 0;
      const print = (item: unknown) => {
        printed++;
        process.stdout.write((opts.json ? JSON.stringify(item) : renderLogLine(item as LogLine, colour)) + '\n');
      };
      // `-d wbe`, `-d web.9`: a filter that matches nothing printed nothing at all, as if the dyno had been quiet.
      const nothing = () => {
        if (printed === 0 && opts.dyno && !opts.tail && opts.num !== '0') {
          process.stderr.write(`No log lines of dyno ${opts.dyno}${opts.app ? ` of ${opts.app}` : ''}: -d takes a dyno (web.1) or a process type (web), as \`spaceport ps\` lists them.\n`);
        }
      };
      try {
        await stream(space, `/v1/logs?${q}`, print);
        nothing();
      } catch (err) {
        // A stopped space (a failed up stops it, then points here) still has its log file: show the newest lines.
        if (!(err as { spaceDown?: boolean }).spaceDown || opts.tail) throw err;
        const { tailLogFile } = await import('../log-file-tail.js');
        const { lines, file } = tailLogFile(space.stateDir, Number(opts.num), { app: opts.app, dyno: opts.dyno, source: opts.source });
        if (!file) throw err;
        process.stderr.write(`The space is not running; the last lines of ${file}:\n`);
        for (const l of lines) print(l);
        nothing();
      }
    });
}

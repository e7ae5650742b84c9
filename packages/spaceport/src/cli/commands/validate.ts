/** `spaceport validate [-f FILE] [--json]`: every problem in the file at once; exit 1 on errors. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('validate')
    .description('Check spaceport.yaml and report every problem at once, with file:line:column')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'print {"valid", "diagnostics"} as JSON')
    .action(async (opts: { file?: string; json?: boolean }) => {
      const { findConfigFile, loadSpace, CONFIG_FILE } = await import('../../config/load.js');
      const { formatDiagnostic } = await import('../../config/diagnostics.js');
      const file = findConfigFile(opts.file);
      if (!file) {
        const msg = `no ${CONFIG_FILE} here or in any parent directory; create one or pass -f FILE`;
        if (opts.json) console.log(JSON.stringify({ valid: false, diagnostics: [{ severity: 'error', file: CONFIG_FILE, line: 1, column: 1, path: '', message: msg }] }));
        else console.error(`error: ${msg}`);
        process.exitCode = 1;
        return;
      }
      const { space, diagnostics } = await loadSpace(file);
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      if (opts.json) {
        console.log(JSON.stringify({ valid: errors === 0, diagnostics }, null, 2));
      } else {
        for (const d of diagnostics) console.error(formatDiagnostic(d));
        if (space) {
          const c = space.config;
          const routes = Object.values(c.gateway.services).reduce((n, s) => n + Object.keys(s.routes).length, 0);
          console.log(
            `${file}: valid (${count(Object.keys(c.apps).length, 'app')}, ${count(Object.keys(c.addons).length, 'add-on')}, ${count(routes, 'route')})`,
          );
        } else {
          console.error(`\n${count(errors, 'error')} in ${file}`);
        }
      }
      if (errors > 0) process.exitCode = 1;
    });
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

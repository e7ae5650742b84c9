/** `spaceport output [NAME] [--json|--raw]`: the `outputs:` of the file as resolved by the last apply. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('output [name]')
    .description('Show the outputs of the last apply (outputs: in spaceport.yaml), or one of them')
    .option('-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)')
    .option('--json', 'print JSON (sensitive values included, as terraform output -json does)')
    .option('--raw', "print NAME's value alone, for scripts, as terraform output -raw (the value of a NAME is printed so anyway)")
    .action(async (name: string | undefined, opts: { file?: string; json?: boolean; raw?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { StateStore } = await import('../../state/store.js');
      const { CliError, usageError } = await import('../errors.js');
      if (opts.raw && name === undefined) throw usageError('--raw prints one output: name it (`spaceport output --raw NAME`)');
      if (opts.raw && opts.json) throw usageError('--raw and --json: pick one');
      const paths = locateSpace(opts.file);
      const outputs = new StateStore(paths.stateDir).read().outputs ?? {};
      if (name !== undefined) {
        const o = outputs[name];
        if (!o) throw new CliError(`no output named ${name}${Object.keys(outputs).length ? ` (outputs: ${Object.keys(outputs).join(', ')})` : '; outputs are recorded by `spaceport apply`'}`);
        console.log(opts.json ? JSON.stringify(o.value) : o.value);
        return;
      }
      if (opts.json) {
        console.log(JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, { value: o.value, sensitive: o.sensitive }])), null, 2));
        return;
      }
      if (Object.keys(outputs).length === 0) {
        console.error('No outputs. Declare them under outputs: in spaceport.yaml and run `spaceport apply`.');
        return;
      }
      for (const [k, o] of Object.entries(outputs)) console.log(`${k} = ${o.sensitive ? '(sensitive)' : JSON.stringify(o.value)}`);
    });
}

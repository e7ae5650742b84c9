/**
 * Heroku's rule for a command that deletes data: it goes on only with the name of what it deletes, typed at a
 * prompt on a terminal or passed as `--confirm NAME` by a script. Without a terminal and without --confirm it
 * refuses and says how to go on; a wrong name changes nothing.
 */
import { CliError } from './errors.js';

export interface ConfirmName {
  /** The value of --confirm, if given. */
  given: string | undefined;
  /** The name to type: the topic, the add-on. */
  name: string;
  /** What it is, for messages: `topic`, `add-on`. */
  kind: string;
  /** What will be lost, one sentence: `This deletes topic orders and its 1,204 records.` */
  what: string;
  /** The command line to re-run with --confirm (without it): `spaceport topics:delete orders`. */
  command: string;
}

/** Resolves when confirmed; throws a CliError (exit 1, nothing changed) otherwise. */
export async function confirmName(c: ConfirmName, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<void> {
  if (c.given !== undefined) {
    if (c.given !== c.name) throw new CliError(`--confirm ${c.given} does not match the ${c.kind} "${c.name}"; nothing was changed. To proceed, pass --confirm ${c.name}`);
    return;
  }
  if (!input.isTTY) {
    throw new CliError(`${c.what} To proceed, pass --confirm ${c.name} (\`${c.command} --confirm ${c.name}\`), or run it on a terminal and type ${c.name} when asked.`);
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input, output });
  // End of input (Ctrl-D) is an answer too: no.
  const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
  let answer: string;
  try {
    answer = await Promise.race([rl.question(` !    WARNING: Destructive action\n !    ${c.what}\n !    To proceed, type ${c.name} or re-run this command with --confirm ${c.name}\n\n> `), closed]);
  } finally {
    rl.close();
  }
  if (answer.trim() !== c.name) throw new CliError(`confirmation did not match ${c.name}; nothing was changed`);
}

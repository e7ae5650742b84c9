/**
 * Usage errors (an unknown command or option, a missing or malformed argument) exit 2, as in most CLIs, so a
 * script can tell "you called it wrong" from "it failed" (1). One exception: for `plan`, 2 means "there are
 * changes" under --detailed-exitcode, so its usage errors exit 1, as Terraform's do.
 */
import type { Command, CommanderError } from 'commander';
import { USAGE_EXIT } from './errors.js';
import { habitHint } from './habits.js';

/** The exit code for a usage error of `command` (the first CLI argument). */
export function usageExitCode(command: string | undefined): number {
  return command === 'plan' ? 1 : USAGE_EXIT;
}

/** Wires commander's own errors to `usageExitCode`, and adds the two-dash spelling to Terraform-style options. */
export function installUsageErrors(program: Command): void {
  const command = process.argv[2];
  program.exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : usageExitCode(command)));
  program.configureOutput({ outputError: (text, write) => write(withHabitHint(withDashHint(program, command, text))) });
}

/**
 * Terraform spells long options with one dash (`-auto-approve`, `-json`); commander reads that as short flags and
 * answers "unknown option" alone. When the command has that option with two dashes, say so.
 */
function withDashHint(program: Command, command: string | undefined, text: string): string {
  const m = /unknown option '-([a-z][a-z0-9-]+)(=[^']*)?'/.exec(text);
  const cmd = program.commands.find((c) => c.name() === command || c.aliases().includes(command ?? ''));
  if (!m || !cmd?.options.some((o) => o.long === `--${m[1]}`)) return text;
  return text.replace(/\n?$/, ` (long options take two dashes: --${m[1]}${m[2] ?? ''})\n`);
}

/** `spaceport apps`: what to type instead (habits.ts), in place of commander's nearest spelling (`apply`). */
function withHabitHint(text: string): string {
  const m = /unknown command '([^']+)'/.exec(text);
  const hint = m ? habitHint(m[1]!) : undefined;
  if (!hint) return text;
  return `error: unknown command '${m![1]}': ${hint}\n`;
}

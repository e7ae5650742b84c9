/** The exit code of a usage error: the command was called wrong (see usage-errors.ts). */
export const USAGE_EXIT = 2;

/** An error the CLI prints as `spaceport: <message>` before exiting with `exitCode` (no stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A malformed argument (`web=x`, `-n abc`): exits 2, like commander's own usage errors. */
export function usageError(message: string): CliError {
  return new CliError(message, USAGE_EXIT);
}

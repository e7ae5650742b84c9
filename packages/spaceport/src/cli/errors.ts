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

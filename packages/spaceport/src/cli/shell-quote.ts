/** Quoting for a POSIX shell: `config --shell` lines, and the command line a one-off dyno shows and runs. */

/** A word as a POSIX shell reads it back unchanged: bare when only safe characters, else in single quotes. */
export function shellQuote(v: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(v)) return v;
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/** `run`'s argv as one command line: one argument is a shell command as written; several are quoted words. */
export function commandLine(argv: string[]): string {
  return argv.length === 1 ? argv[0]! : argv.map(shellQuote).join(' ');
}

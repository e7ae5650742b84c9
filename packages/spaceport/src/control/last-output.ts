/**
 * Which of a failed process's last lines of output to quote with the failure: the last 5, unless an error line
 * (`Error: ...`, `TypeError [ERR_X]: ...`) comes before them, as in a Node stack trace whose last lines are only
 * frames, `code: ...` and `Node.js v20`: then that error line, `...` and the very last line.
 */
const ERROR_LINE = /^(Uncaught )?[A-Z]?\w*(Error|Exception)( \[[\w.-]+\])?: /;

export function quotedOutput(lines: readonly string[]): string[] {
  const shown = lines.filter((l) => l.trim());
  const tail = shown.slice(-5);
  let i = shown.length - 1;
  while (i >= 0 && !ERROR_LINE.test(shown[i]!)) i--;
  if (i === -1 || i >= shown.length - 5) return tail;
  return [shown[i]!, '...', shown.at(-1)!];
}

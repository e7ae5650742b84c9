/** Parses a Heroku Procfile: `<type>: <command>` per line; blank lines and `#` comments are ignored. */
export function parseProcfile(text: string): {
  processes: Record<string, string>;
  errors: { line: number; message: string }[];
} {
  const processes: Record<string, string> = {};
  const errors: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line);
    if (!m) {
      errors.push({ line: i + 1, message: `Procfile line ${i + 1} is not "type: command"` });
      return;
    }
    if (m[1]! in processes) errors.push({ line: i + 1, message: `process type ${m[1]} is defined twice` });
    processes[m[1]!] = m[2]!;
  });
  return { processes, errors };
}

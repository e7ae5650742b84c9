/** A problem found in spaceport.yaml, located precisely enough for an editor to jump to it. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  file: string;
  line: number; // 1-based
  column: number; // 1-based
  /** Config path such as `apps.web.scale.web`. */
  path: string;
  message: string;
  /** What to do about it, such as "did you mean `processes`?". */
  hint?: string;
}

/** Formats a diagnostic as `file:line:col: error: apps.x.y: message (hint)`, the shape compilers use. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const path = d.path ? `${d.path}: ` : '';
  const hint = d.hint ? `\n    ${d.hint}` : '';
  return `${where}: ${d.severity}: ${path}${d.message}${hint}`;
}

/** Thrown when a config has errors; carries every diagnostic, not just the first. */
export class ConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Renders a config path array the way users write it: apps.edm-ui.scale.web, moved[0].from. */
export function pathToString(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

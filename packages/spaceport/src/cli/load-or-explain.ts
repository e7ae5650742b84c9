/** Loads spaceport.yaml for `up`, printing every diagnostic; a config with errors stops `up` here. */
import type { Space } from '../config/load.js';
import { CliError } from './errors.js';
import { locateSpace } from './space.js';

export async function loadOrExplain(file?: string): Promise<Space> {
  const paths = locateSpace(file);
  const { loadSpace } = await import('../config/load.js');
  const { formatDiagnostic } = await import('../config/diagnostics.js');
  const { space, diagnostics } = await loadSpace(paths.file);
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (!space) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    throw new CliError(`${n} error${n === 1 ? '' : 's'} in ${paths.file}; fix ${n === 1 ? 'it' : 'them'} and run up again`);
  }
  return space;
}

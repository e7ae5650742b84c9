/**
 * How to run a platform process's main module: compiled JS from dist/ in production, or the TS source through
 * tsx when Spaceport itself runs from src (tests, development). Detected from this module's own file name.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const fromSource = here.endsWith('.ts');
/** src/ or dist/: the root every `moduleFromSrc` path is relative to. */
const codeRoot = dirname(dirname(here));

/** `nodeMain('events/main.ts')` → { command: node, args: [...] } that runs it. */
export function nodeMain(moduleFromSrc: string): { command: string; args: string[] } {
  if (fromSource) {
    // An absolute loader URL: the child's cwd (an app root, a temp dir) need not see node_modules/tsx.
    return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), join(codeRoot, moduleFromSrc)] };
  }
  return { command: process.execPath, args: [join(codeRoot, moduleFromSrc.replace(/\.ts$/, '.js'))] };
}

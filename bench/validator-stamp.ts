/**
 * The validator stamp's cost per CLI process (every plan computes it once): the full computation (read and hash
 * every validating module, as before the memo) against a memo hit (stat the same files), each in a fresh node
 * process running the compiled build, interleaved. Prints JSON: medians in ms and their ratio.
 *   node --import tsx bench/validator-stamp.ts [--rounds 15]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] || 15);
const mod = pathToFileURL(resolve(fileURLToPath(import.meta.url), '..', '..', 'packages', 'spaceport', 'dist', 'plan', 'validator-stamp.js')).href;
const dir = mkdtempSync(join(tmpdir(), 'bench-stamp-'));
const memo = join(dir, '.spaceport', 'validator-stamp.json');

function time(call: string): number {
  const script = `const m = await import(${JSON.stringify(mod)}); const src = ${JSON.stringify(resolve(fileURLToPath(mod), '..', '..'))};
const t = performance.now(); ${call}; console.log(performance.now() - t);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  time(`m.memoizedStamp(src, ${JSON.stringify(memo)})`); // writes the memo
  const full: number[] = [];
  const hit: number[] = [];
  for (let i = 0; i < rounds; i++) {
    full.push(time('m.validatorStampOf(src)'));
    hit.push(time(`m.memoizedStamp(src, ${JSON.stringify(memo)})`));
  }
  console.log(JSON.stringify({ rounds, full_ms: +median(full).toFixed(2), memo_hit_ms: +median(hit).toFixed(2), ratio: +(median(hit) / median(full)).toFixed(2) }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

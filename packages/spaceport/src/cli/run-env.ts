/**
 * `run -e KEY=VALUE`, as Heroku reads it: repeatable, and each value may hold several pairs split by `;`
 * (`-e 'A=1;B=2'`), so a value cannot contain `;`. A malformed pair is a usage error that says what to write.
 */
import { usageError } from './errors.js';

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseRunEnv(values: string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const value of values) {
    for (const pair of value.split(';')) {
      if (pair.trim() === '') continue; // `-e 'A=1;'`
      const i = pair.indexOf('=');
      const key = i > 0 ? pair.slice(0, i).trim() : '';
      if (!KEY_RE.test(key)) {
        throw usageError(`-e ${value}: write KEY=VALUE (names are letters, digits and _), several split by ';': -e 'GREETING=hi;DEBUG=1', or -e once per variable`);
      }
      env[key] = pair.slice(i + 1);
    }
  }
  return env;
}

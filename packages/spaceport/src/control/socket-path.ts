/**
 * Linux limits a unix socket's path to 107 bytes (`sun_path`), and libuv cuts a longer one short without a word
 * (the server would listen on, and the client knock at, some other path). A space in a deeper directory is
 * reached by the socket's path relative to the current directory, which the kernel resolves the same way: `up -d`
 * starts the control plane in the space's directory, and the CLI is usually run there or below it.
 */
import { relative } from 'node:path';

export const MAX_SOCKET_PATH = 107;

/** The path to hand to listen()/connect() for the socket at `abs`, or undefined when neither form fits. */
export function reachableSocketPath(abs: string, cwd = process.cwd()): string | undefined {
  if (Buffer.byteLength(abs) <= MAX_SOCKET_PATH) return abs;
  const rel = relative(cwd, abs);
  return Buffer.byteLength(rel) <= MAX_SOCKET_PATH ? rel : undefined;
}

/** What to do when neither form fits: `spaceDir` is the space's directory. */
export function socketPathTooLong(abs: string, spaceDir: string): string {
  return `the control socket path ${abs} is ${Buffer.byteLength(abs)} bytes, longer than the ${MAX_SOCKET_PATH} a unix socket allows, and so is its path from the current directory; run spaceport from the space's directory (cd ${spaceDir}) or move the space to a shorter path`;
}

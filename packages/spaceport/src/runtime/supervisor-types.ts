/** Spawning and supervising child processes: the one mechanism behind dynos and platform processes. */
import type { Readable } from 'node:stream';
export interface ChildSpec {
  /** Unique name in the space, recorded in state: `app:edm-ui:web.1`, `gateway:worker.1`, `addons.db:postgres`. */
  name: string;
  /** For log lines: app (or component) and dyno/component name. */
  logApp: string;
  logDyno: string;
  logSource: 'app' | 'spaceport';
  /** argv[0] and args; no shell unless the caller asks for `sh -c`. */
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Restart on exit with exponential back-off (first restart immediately). Default true. */
  restart?: boolean;
  /** Grace between SIGTERM and SIGKILL. */
  stopTimeoutMs: number;
  /** Open an IPC channel (platform processes that take config over IPC). */
  ipc?: boolean;
  /** Called with each message the child sends over IPC. */
  onMessage?: (msg: unknown) => void;
  /**
   * How IPC messages are encoded (child_process's `serialization`): 'json' (default) or 'advanced' (V8's
   * structured clone: no escaping of large strings, for a child that sends many, like the gateway's router lines).
   */
  serialization?: 'json' | 'advanced';
  /**
   * With `ipc`: one more pipe, the child's fd 4, handed here at each start of the process (a fresh one each
   * time), for bulk data that need not be IPC messages: the gateway's router lines, written by its worker
   * (gateway/router-log-pipe.ts). Its errors are handled by the supervisor.
   */
  onPipe?: (pipe: Readable) => void;
}

export interface SupervisedChild {
  readonly spec: ChildSpec;
  readonly pid: number | null;
  readonly restarts: number;
  /** Sends an IPC message (when spec.ipc). */
  send(msg: unknown): void;
  /** Resolves when the process exited (after SIGKILL if needed); no restart follows. */
  stop(): Promise<void>;
  on(event: 'spawn', fn: (pid: number) => void): void;
  on(event: 'exit', fn: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

export interface Supervisor {
  start(spec: ChildSpec): SupervisedChild;
  /** Path of a platform process's main module, compiled or TS, with the node args to run it. */
  nodeMain(moduleFromSrc: string): { command: string; args: string[] };
}

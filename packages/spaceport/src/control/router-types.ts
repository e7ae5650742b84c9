import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ControlRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  raw: IncomingMessage;
}

/** A handler returns a JSON-able body (status 200), or writes to `res` itself (streams) and returns undefined. */
export type ControlHandler = (req: ControlRequest, res: ServerResponse) => Promise<unknown> | unknown;

/** Routes of the control API; paths like `/v1/apps/:app/scale`. */
export interface ControlRouter {
  add(method: string, path: string, handler: ControlHandler): void;
}

/** An error the control API returns as `{ error: { code, message } }` with an HTTP status. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

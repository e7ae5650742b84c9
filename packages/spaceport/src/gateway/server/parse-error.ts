/** A request the gateway cannot serve as sent: `status` is the 4xx/5xx to answer with, the message says why. */
export class ParseError extends Error {
  constructor(
    /** The status to answer with. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The shape of one Kafka API module: decode the body, act on the broker, encode the response body. */
import type { Broker } from '../broker.js';
import type { Reader } from '../protocol/reader.js';
import type { Writer } from '../protocol/writer.js';

export interface RequestContext {
  apiVersion: number;
  clientId: string;
  clientHost: string;
  /**
   * Tells the connection the response body the handler will send if all goes well, before it may send it (the
   * response must then have this size): its header, and bytes of it as more requests arrive, can go out early
   * (connection.ts). Optional: not every caller has a connection.
   */
  announce?: (body: Writer) => void;
}

export interface ApiModule {
  key: number;
  /** The response body, or null for no response at all (Produce with acks=0). */
  handle(broker: Broker, req: RequestContext, body: Reader): Writer | null | Promise<Writer | null>;
}

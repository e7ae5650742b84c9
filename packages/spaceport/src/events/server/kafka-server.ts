/** The Kafka protocol listener (loopback by default). */
import { createServer, type Server } from 'node:net';
import type { Broker } from '../broker.js';
import { serveConnection } from './connection.js';

export function listenKafka(broker: Broker, host: string, port: number, maxFrameBytes: number): Promise<Server> {
  const server = createServer((socket) => serveConnection(socket, broker, { maxFrameBytes }));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

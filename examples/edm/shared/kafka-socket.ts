/**
 * kafkajs's socket factory with TCP_NODELAY: kafkajs leaves Nagle on, so a small produce (or fetch) request waits in
 * the kernel while an earlier one is unacknowledged; with several produces in flight that adds milliseconds to each.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

/** EDM_KAFKA_NODELAY=0 leaves Nagle on, as kafkajs does (for the benchmark's A/B). */
const NO_DELAY = process.env.EDM_KAFKA_NODELAY !== '0';

export const noDelaySocket: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl ? tls.connect({ host, port, servername: host, ...(typeof ssl === 'object' ? ssl : {}) }, onConnect) : net.connect({ host, port }, onConnect);
  socket.setNoDelay(NO_DELAY);
  socket.setKeepAlive(true, 60_000);
  return socket;
};

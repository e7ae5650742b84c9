/**
 * Sends one request of a chosen version with kafkajs's own encoder and decodes the answer with kafkajs's own
 * decoder (kafkajs/src/protocol/requests/<api>): a client's codec, independent of the broker's, for the versions
 * kafkajs's admin would not pick by itself (it always takes the highest both sides support).
 */
import { createRequire } from 'node:module';
import { connect } from 'node:net';

const req = createRequire(import.meta.url);

interface KjsProtocol {
  request: { apiKey: number; apiVersion: number; encode: () => Promise<unknown> };
  response: { decode: (b: Buffer) => Promise<unknown> };
}
type KjsEncoder = { buffer: Buffer };

export async function kafkajsRequest<T = Record<string, unknown>>(port: number, api: string, version: number, args: unknown): Promise<T> {
  const mod = req(`kafkajs/src/protocol/requests/${api}/index.js`) as { protocol: (o: { version: number }) => (args: unknown) => KjsProtocol };
  const encodeFrame = req('kafkajs/src/protocol/request.js') as (o: { correlationId: number; clientId: string; request: KjsProtocol['request'] }) => Promise<KjsEncoder>;
  const { request, response } = mod.protocol({ version })(args);
  const frame = (await encodeFrame({ correlationId: 7, clientId: 'wire-test', request })).buffer;
  const payload = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(frame));
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${api} v${version} in 5 s`));
    }, 5000);
    socket.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0)) {
        clearTimeout(timer);
        socket.destroy();
        if (got.readInt32BE(4) !== 7) reject(new Error('wrong correlation id'));
        resolve(got.subarray(8, 4 + got.readInt32BE(0)));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed without an answer to ${api} v${version}`)));
  });
  return (await response.decode(payload)) as T;
}

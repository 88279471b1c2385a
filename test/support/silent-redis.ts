import { createServer, Server, Socket } from 'node:net';

/** The command names in a chunk of RESP arrays (enough for one client's handshake). */
const commandNames = (chunk: string) => [...chunk.matchAll(/\*\d+\r\n\$\d+\r\n([^\r]+)\r\n/g)].map((m) => m[1].toLowerCase());

/**
 * A "Redis" that completes the connection and the client's handshake (its INFO ready check
 * and anything sent before it), then answers nothing: the hung server, as opposed to one
 * that refuses connections.
 */
export async function silentRedis(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let ready = false;
    socket.on('data', (chunk) => {
      for (const name of commandNames(chunk.toString())) {
        if (ready) return;
        if (name !== 'info') {
          socket.write('+OK\r\n');
          continue;
        }
        const info = '# Server\r\nredis_version:7.0.0\r\nloading:0\r\n';
        socket.write(`$${Buffer.byteLength(info)}\r\n${info}\r\n`);
        ready = true;
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

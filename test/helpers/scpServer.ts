import * as net from 'net';

/** A loopback server handing each connection to a scripted dcmjs-dimse Scp (`serve`); stop() cuts every connection. */
export async function serveScp(serve: (socket: net.Socket) => void): Promise<{ port: number; stop(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

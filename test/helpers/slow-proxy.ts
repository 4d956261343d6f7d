// A TCP proxy that delays every chunk by a fixed time in each direction, for tests of a store
// reached over a slow link. Order is kept: chunks of one direction wait equally long, in turn.
import net from 'node:net';

export class SlowProxy {
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;
  port = 0;

  private constructor(
    private readonly targetPort: number,
    private readonly delayMs: number,
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  /** Listens on a free port of 127.0.0.1 and forwards to `targetPort`, `delayMs` each way. */
  static async start(targetPort: number, delayMs: number): Promise<SlowProxy> {
    const proxy = new SlowProxy(targetPort, delayMs);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    this.relay(client, upstream);
    this.relay(upstream, client);
  }

  private relay(from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk: Buffer) => setTimeout(() => to.destroyed || to.write(chunk), this.delayMs));
    from.on('end', () => setTimeout(() => to.end(), this.delayMs));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

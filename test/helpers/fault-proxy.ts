// A scriptable loopback TCP proxy for failure tests: forwards bytes, then drops or corrupts a connection at a byte count,
// stalls one or all connections, or rewrites a plain-text server's lines. Test-only: never listens beyond 127.0.0.1,
// never looks inside TLS, never leaves a socket open after stop().
import net from 'node:net';

export interface FaultMode {
  /** Forward exactly this many server→client bytes, then destroy both sockets. */
  dropAfterServerBytes?: number;
  /** Forward exactly this many client→server bytes, then destroy both sockets. */
  dropAfterClientBytes?: number;
  /** After `after` server→client bytes, insert `data` into the stream (then keep forwarding). */
  garbageAfterServerBytes?: { after: number; data: Buffer };
  /**
   * Passes every server→client line (latin1, with its CRLF) through this function: a plain-text IMAP
   * server that behaves otherwise (e.g. leaves out `* OK [UIDNEXT n]`). Not combined with the byte modes.
   */
  rewriteServerLines?: (line: string) => string;
}

export interface FaultProxyOptions extends FaultMode {
  targetHost: string;
  targetPort: number;
}

export interface FaultProxy {
  port: number;
  /** Bytes received from the server, over all connections. */
  readonly bytesFromServer: number;
  /** Bytes received from clients, over all connections. */
  readonly bytesFromClient: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections the proxy cut on purpose. */
  readonly drops: number;
  /** Stop (true) or restart (false) forwarding server→client bytes on every connection, open or new. */
  hold(on: boolean): void;
  /** The same for one connection only: the n-th accepted (1 = the first; see `connections`). */
  holdConnection(n: number, on: boolean): void;
  /** New mode for connections accepted from now on (open ones keep theirs). */
  setMode(mode: FaultMode): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const { targetHost, targetPort, ...initial } = opts;
  let mode: FaultMode = initial;
  const stats = { bytesFromServer: 0, bytesFromClient: 0, connections: 0, drops: 0 };
  const sockets = new Set<net.Socket>();
  const upstreams = new Set<net.Socket>();
  let held = false;
  /** Per accepted connection (index n-1): its upstream socket and whether it alone is held. */
  const conns: Array<{ upstream: net.Socket; held: boolean }> = [];

  const server = net.createServer((client) => {
    stats.connections += 1;
    const m = mode;
    const upstream = net.connect({ host: targetHost, port: targetPort });
    upstreams.add(upstream);
    upstream.on('close', () => upstreams.delete(upstream));
    const conn = { upstream, held: false };
    conns.push(conn);
    const isHeld = () => held || conn.held;
    if (held) upstream.pause();
    let partialLine = '';
    let fromServer = 0;
    let fromClient = 0;
    let cut = false; // no more forwarding on this connection
    let dropped = false;
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    const drop = () => {
      if (dropped) return;
      dropped = cut = true;
      stats.drops += 1;
      client.destroy();
      upstream.destroy();
    };
    // Forward the last allowed bytes, stop forwarding, and drop both sockets once they are flushed.
    const cutAfter = (dst: net.Socket, last: Buffer) => {
      cut = true;
      dst.write(last, drop);
      setTimeout(drop, 500).unref();
    };
    const send = (dst: net.Socket, src: net.Socket, chunk: Buffer) => {
      if (chunk.length && !dst.write(chunk)) {
        src.pause();
        dst.once('drain', () => {
          if (!(isHeld() && src === upstream)) src.resume();
        });
      }
    };

    upstream.on('data', (chunk: Buffer) => {
      if (cut) return;
      stats.bytesFromServer += chunk.length;
      const start = fromServer;
      fromServer += chunk.length;
      if (m.rewriteServerLines) {
        const text = partialLine + chunk.toString('latin1');
        const end = text.lastIndexOf('\n') + 1;
        partialLine = text.slice(end);
        const lines = text.slice(0, end).match(/[^\n]*\n/g) ?? [];
        return send(client, upstream, Buffer.from(lines.map(m.rewriteServerLines).join(''), 'latin1'));
      }
      const g = m.garbageAfterServerBytes;
      if (g && start <= g.after && g.after < fromServer) {
        const at = g.after - start;
        chunk = Buffer.concat([chunk.subarray(0, at), g.data, chunk.subarray(at)]);
      }
      const limit = m.dropAfterServerBytes;
      if (limit !== undefined && fromServer >= limit) {
        const keep = limit - start + (g && start <= g.after && g.after < limit ? g.data.length : 0);
        return cutAfter(client, chunk.subarray(0, Math.max(0, keep)));
      }
      send(client, upstream, chunk);
    });

    client.on('data', (chunk: Buffer) => {
      if (cut) return;
      stats.bytesFromClient += chunk.length;
      const start = fromClient;
      fromClient += chunk.length;
      const limit = m.dropAfterClientBytes;
      if (limit !== undefined && fromClient >= limit) {
        return cutAfter(upstream, chunk.subarray(0, limit - start));
      }
      send(upstream, client, chunk);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    port: (server.address() as net.AddressInfo).port,
    hold(on: boolean) {
      held = on;
      for (const c of conns) if (upstreams.has(c.upstream)) on || c.held ? c.upstream.pause() : c.upstream.resume();
    },
    holdConnection(n: number, on: boolean) {
      const c = conns[n - 1];
      if (!c) throw new Error(`holdConnection: no connection ${n} (${conns.length} accepted)`);
      c.held = on;
      if (upstreams.has(c.upstream)) on || held ? c.upstream.pause() : c.upstream.resume();
    },
    get bytesFromServer() {
      return stats.bytesFromServer;
    },
    get bytesFromClient() {
      return stats.bytesFromClient;
    },
    get connections() {
      return stats.connections;
    },
    get drops() {
      return stats.drops;
    },
    setMode(next) {
      mode = next;
    },
    stop() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

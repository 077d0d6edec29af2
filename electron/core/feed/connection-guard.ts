// Keeps the feed's sockets within the per-address and total caps by closing the connection that has kept the
// server waiting longest (unfinished headers or an idle keep-alive) instead of refusing newcomers, and ends a
// connection after its last allowed request. Never closes a socket while it is being answered.
import type http from 'node:http';
import type net from 'node:net';

export interface ConnectionCaps {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  maxRequestsPerSocket: number;
  /** A socket waiting for less than this is spared while older ones are shed (see FEED_LIMITS). */
  freshGraceMs: number;
}

// Sockets within their grace escape a cap until the count reaches this multiple of it; past that they are
// shed too, longest-waiting first: room for a burst of newcomers, never unbounded file descriptors.
export const FRESH_CEILING_FACTOR = 2;

interface Tracked {
  socket: net.Socket;
  address: string;
  /** Requests received and not yet answered (pipelining can make it more than one). */
  inFlight: number;
  /** Requests received on this socket so far. */
  requests: number;
  /** When the server started waiting for this client: its connect, or the end of its last answer. */
  waitingSince: number;
  /** Arrival order, to break ties between sockets that started waiting in the same millisecond. */
  seq: number;
}

/** One key per client: an IPv4 client reached over a dual-stack socket counts as its IPv4 address. */
export function addressKey(remote: string | undefined): string {
  if (!remote) return 'unknown';
  return remote.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

/**
 * Watches `server`'s sockets; calls `onShed(count)` after each pass that closed some.
 * Must be installed before any other 'request' listener, so an answer that ends at once is still seen.
 */
export function guardConnections(server: http.Server, caps: ConnectionCaps, onShed: (count: number) => void = () => {}): void {
  const tracked = new Map<net.Socket, Tracked>();
  let seq = 0;
  let pending = false;

  // Brings `list` down to `cap` by closing waiting sockets, the ones waited on longest first, busy ones spared.
  // Sockets still within their grace are closed only to stay under the ceiling: a slowloris's sockets age past
  // the grace and go first, while the subscriber who connected just before a burst of the attacker's
  // reconnections (they come in waves, as its sockets time out together) keeps the moment it needs.
  const shed = (list: Tracked[], cap: number, now: number): number => {
    if (list.length <= cap) return 0;
    const waiting = list.filter((t) => t.inFlight === 0).sort((a, b) => a.waitingSince - b.waitingSince || a.seq - b.seq);
    const stale = waiting.filter((t) => now - t.waitingSince >= caps.freshGraceMs);
    const fresh = waiting.filter((t) => now - t.waitingSince < caps.freshGraceMs);
    const victims = stale.slice(0, list.length - cap);
    const overCeiling = list.length - victims.length - cap * FRESH_CEILING_FACTOR;
    if (overCeiling > 0) victims.push(...fresh.slice(0, overCeiling));
    for (const t of victims) {
      tracked.delete(t.socket);
      t.socket.destroy();
    }
    return victims.length;
  };

  const enforce = () => {
    pending = false;
    const now = Date.now();
    let closed = 0;
    const byAddress = new Map<string, Tracked[]>();
    for (const t of tracked.values()) {
      const group = byAddress.get(t.address);
      if (group) group.push(t);
      else byAddress.set(t.address, [t]);
    }
    for (const group of byAddress.values()) closed += shed(group, caps.maxConnectionsPerAddress, now);
    closed += shed([...tracked.values()], caps.maxConnections, now);
    if (closed > 0) onShed(closed);
  };

  // The choice is made two event-loop turns after a connection arrives, not at once: a burst of connections
  // is accepted in one go before any of them is read, and the subscriber among them has usually sent its
  // whole request by then. Read first, it is busy being answered and out of reach; the attacker's sockets,
  // which never finish their headers, are the ones left waiting. Between passes the kernel's listen backlog
  // bounds how far over the caps the count can go.
  const schedule = () => {
    if (pending) return;
    pending = true;
    setImmediate(() => setImmediate(enforce));
  };

  server.on('connection', (socket: net.Socket) => {
    tracked.set(socket, { socket, address: addressKey(socket.remoteAddress), inFlight: 0, requests: 0, waitingSince: Date.now(), seq: seq++ });
    socket.once('close', () => tracked.delete(socket));
    schedule();
  });
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const t = tracked.get(req.socket);
    if (!t) return;
    t.inFlight++;
    // Node's own maxRequestsPerSocket says "Connection: close" on the last answer but leaves the socket open
    // until the keep-alive timer; not keeping it alive ends it as soon as that answer is sent.
    if (++t.requests >= caps.maxRequestsPerSocket) res.shouldKeepAlive = false;
    res.once('close', () => {
      t.inFlight--;
      t.waitingSince = Date.now();
    });
  });
}

// A loopback slowloris for the feed's tests: keeps N sockets open that send a request's headers one byte a
// second (never finishing) or nothing at all, reopening each one the server closes. Test-only; never beyond 127.0.0.0/8.
import net from 'node:net';

export interface AttackOptions {
  port: number;
  /** Sockets that send a header byte every `byteEveryMs` and never end the headers. */
  slow: number;
  /** Sockets that connect and send nothing. */
  idle: number;
  /** Source address of every socket (any 127.x.y.z on Linux); default 127.0.0.1. */
  localAddress?: string;
  /** Reopen a socket the server closed (as slowloris does each round); default true. */
  reopen?: boolean;
  byteEveryMs?: number;
}

export interface AttackStats {
  /** Connections made so far. */
  opened: number;
  /** Connections the server closed, with how long each had been open. */
  closedAfterMs: number[];
  /** Ages of the sockets open right now. */
  openAgesMs(): number[];
}

export interface Attack {
  stats: AttackStats;
  /** Stops reopening and closes every socket still open; resolves with the final stats. */
  stop(): Promise<AttackStats>;
}

// The round slowloris itself waits between reopening dead sockets; one second keeps the pressure steady
// without turning the test into a connect flood the machine itself cannot keep up with.
const REOPEN_AFTER_MS = 1_000;

export function startAttack(opts: AttackOptions): Attack {
  const byteEveryMs = opts.byteEveryMs ?? 1_000;
  const reopen = opts.reopen ?? true;
  const open = new Map<net.Socket, number>();
  const timers = new Set<NodeJS.Timeout>();
  const closedAfterMs: number[] = [];
  let opened = 0;
  let stopping = false;
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const connect = (kind: 'slow' | 'idle') => {
    if (stopping) return;
    const s = net.connect({ port: opts.port, host: '127.0.0.1', localAddress: opts.localAddress ?? '127.0.0.1' });
    const since = Date.now();
    opened++;
    open.set(s, since);
    let ticker: NodeJS.Timeout | undefined;
    s.on('error', () => {});
    // Read (and drop) whatever comes back, or the server's close would go unnoticed here.
    s.on('data', () => {});
    s.on('connect', () => {
      if (kind === 'idle') return;
      // A request line and one full header at once, then the next header one byte at a time, forever.
      s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      ticker = setInterval(() => s.write('a'), byteEveryMs);
    });
    s.on('close', () => {
      if (ticker) clearInterval(ticker);
      open.delete(s);
      if (stopping) return;
      closedAfterMs.push(Date.now() - since);
      if (reopen) later(() => connect(kind), REOPEN_AFTER_MS);
    });
  };

  for (let i = 0; i < opts.slow; i++) connect('slow');
  for (let i = 0; i < opts.idle; i++) connect('idle');

  const stats: AttackStats = {
    get opened() {
      return opened;
    },
    closedAfterMs,
    openAgesMs: () => [...open.values()].map((t) => Date.now() - t),
  };
  return {
    stats,
    stop: async () => {
      const snapshot: AttackStats = { opened, closedAfterMs: [...closedAfterMs], openAgesMs: (() => { const ages = stats.openAgesMs(); return () => ages; })() };
      stopping = true;
      timers.forEach(clearTimeout);
      const closing = [...open.keys()].map((s) => new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.destroy();
      }));
      await Promise.all(closing);
      return snapshot;
    },
  };
}

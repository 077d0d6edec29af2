// Keeps one authenticated IMAP connection per account open between syncs of a long-running
// process (tray, serve), so a re-sync that finds nothing new costs one EXAMINE per folder instead
// of a TLS handshake and a login. Idle connections are logged out; a broken one is never reused.
import { createHash } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { connectImap, disconnect, type ConnectOptions } from './connect.ts';
import { LOGOUT_TIMEOUT_MS } from '../limits.ts';

interface Idle {
  client: ImapFlow;
  timer: ReturnType<typeof setTimeout>;
  /** The CLOSE of the folder the last sync left selected, still in flight (see release). */
  closing: Promise<void>;
}

export class ConnectionPool {
  private readonly idle = new Map<string, Idle>();

  constructor(
    private readonly connect: (o: ConnectOptions) => Promise<ImapFlow> = connectImap,
    /** How long an unused connection stays open (servers drop idle sessions after ~30 min). */
    private readonly idleMs = 10 * 60_000,
  ) {}

  /** Same server, user, trust (the CA file's content when loaded) and password or token → same
   * connection: after a refresh the next acquire logs in afresh with the new token. */
  private key(o: ConnectOptions): string {
    return createHash('sha256').update(JSON.stringify([o.host, o.port, o.security, o.username, o.caPem ?? o.caFile, o.pinnedFingerprint, o.password, o.accessToken ?? null, o.maxPartBytes])).digest('hex');
  }

  /** An open connection for these options: a kept one if it is still usable, else a new one. */
  acquire = async (o: ConnectOptions): Promise<ImapFlow> => {
    const k = this.key(o);
    const kept = this.idle.get(k);
    if (kept) {
      this.idle.delete(k);
      clearTimeout(kept.timer);
      await kept.closing;
      if (kept.client.usable) return kept.client;
      kept.client.close();
    }
    return this.connect(o);
  };

  /** Hands a connection back; only a healthy one is kept (closed after idleMs without use). */
  release = async (o: ConnectOptions, client: ImapFlow): Promise<void> => {
    if (!client.usable) {
      client.close();
      return;
    }
    // Leave no folder selected: the next sync must EXAMINE afresh, or it would read a stale
    // UIDNEXT (only SELECT/EXAMINE report it) and could miss a change. CLOSE after EXAMINE expunges
    // nothing. Not awaited: the sync is done, and the next acquire waits for it (one round trip
    // less per sync; a failed CLOSE closes the connection, and acquire then opens a new one).
    // Bounded like LOGOUT: a server that never finishes CLOSE must not hold the next sync's acquire.
    let closeTimer: ReturnType<typeof setTimeout> | undefined;
    const closing = client.mailbox
      ? Promise.race([client.mailboxClose(), new Promise((_, reject) => (closeTimer = setTimeout(reject, LOGOUT_TIMEOUT_MS)))])
        .then(() => undefined, () => client.close())
        .finally(() => clearTimeout(closeTimer))
      : Promise.resolve();
    const k = this.key(o);
    const other = this.idle.get(k);
    if (other) {
      clearTimeout(other.timer);
      void disconnect(other.client);
    }
    const timer = setTimeout(() => {
      if (this.idle.get(k)?.client === client) this.idle.delete(k);
      void closing.then(() => disconnect(client));
    }, this.idleMs);
    timer.unref?.();
    this.idle.set(k, { client, timer, closing });
  };

  get size(): number {
    return this.idle.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.idle.values()];
    this.idle.clear();
    await Promise.all(all.map(async (e) => {
      clearTimeout(e.timer);
      await e.closing;
      await disconnect(e.client);
    }));
  }
}

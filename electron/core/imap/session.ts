// One IMAP sync's connection: every command runs under a deadline (its own and the run's), and a
// command the server breaks (deadline missed, a response over a size limit) becomes a ServerFault the
// scan can step past by reconnecting, a bounded number of times. Never retries a rejected login.
import type { ImapFlow, MailboxLockObject, MailboxObject } from 'imapflow';
import { AppError } from '../errors.ts';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_RUN_TIMEOUT_MS, MAX_SERVER_RECOVERIES } from '../limits.ts';

export interface SessionLimits {
  commandMs?: number;
  runMs?: number;
  maxRecoveries?: number;
}

/** The server broke one command; the connection is closed. `code` is the AppError code it maps to. */
export class ServerFault extends Error {
  constructor(message: string, readonly code: 'SERVER_TIMEOUT' | 'SERVER_PROTOCOL') {
    super(message);
    this.name = 'ServerFault';
  }

  toAppError(server: string): AppError {
    return new AppError(this.code, `${this.message}. Nothing was written.`, { server });
  }
}

/** imapflow's error codes for a response over one of its size limits (the connection is then closed). */
const LIMIT_CODES = new Set(['LiteralTooLarge', 'LineTooLarge', 'ResponseTooLarge', 'TooManyTokens', 'MAX_IMAP_NESTING_REACHED']);

function limitText(err: { code?: string; literalSize?: number; maxSize?: number; lineLength?: number; message?: string }): string {
  if (err.code === 'LiteralTooLarge') return `announced a literal of ${err.literalSize === Infinity ? 'more than 19 digits of' : err.literalSize} bytes, over the limit of ${err.maxSize} bytes`;
  if (err.code === 'LineTooLarge') return `sent a response line of ${err.lineLength ?? 'more than'} bytes, over the limit of ${err.maxSize} bytes`;
  return `sent a response over the limits (${err.code}: ${err.message ?? ''})`;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export class ImapSession {
  client: ImapFlow;
  private lastError: { code?: string } | undefined;
  private recoveries = 0;
  private readonly endsAt: number;
  private readonly runMs: number;
  private readonly commandMs: number;
  private readonly maxRecoveries: number;
  private lock: MailboxLockObject | undefined;
  private folder: string | undefined;
  /** Bytes received on connections closed by recoveries. */
  private receivedBefore = 0;

  constructor(client: ImapFlow, private readonly reconnect: () => Promise<ImapFlow>, readonly server: string, limits: SessionLimits = {}, started = Date.now()) {
    this.client = client;
    this.commandMs = limits.commandMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.runMs = limits.runMs ?? DEFAULT_RUN_TIMEOUT_MS;
    this.endsAt = started + this.runMs;
    this.maxRecoveries = limits.maxRecoveries ?? MAX_SERVER_RECOVERIES;
    this.watch(client);
  }

  private readonly onError = (err: { code?: string }) => {
    this.lastError = err;
  };

  private watch(client: ImapFlow): void {
    client.on('error', this.onError);
  }

  /** Stops listening to the current connection (a kept connection outlives many sessions). */
  detach(): void {
    this.client.off('error', this.onError);
  }

  /** Bytes received from the server in this session, over every connection. */
  received(): number {
    return this.receivedBefore + this.client.stats().received;
  }

  private runExpired(what: string): AppError {
    return new AppError('SERVER_TIMEOUT', `The sync with ${this.server} did not finish within ${seconds(this.runMs)} (the limit for a whole run); it was ${what}. Nothing was written.`, { server: this.server });
  }

  /**
   * Runs one command (or one FETCH loop) on the current connection under the deadlines. A missed
   * command deadline or a response over a limit closes the connection and throws a ServerFault; the
   * run's deadline throws an AppError (nothing more can be done in this run).
   */
  async run<T>(what: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = this.client;
    const remaining = this.endsAt - Date.now();
    if (remaining <= 0) throw this.runExpired(what);
    const runBound = remaining <= this.commandMs;
    let fired = false;
    this.lastError = undefined;
    const timer = setTimeout(() => {
      fired = true;
      client.close();
    }, Math.min(remaining, this.commandMs));
    try {
      return await fn(client);
    } catch (err) {
      if (fired) {
        if (runBound) throw this.runExpired(what);
        throw new ServerFault(`${this.server} did not finish ${what} within ${seconds(this.commandMs)} (it kept the command open without completing it)`, 'SERVER_TIMEOUT');
      }
      const cause = [this.lastError, err as { code?: string }].find((e) => e?.code && LIMIT_CODES.has(e.code));
      if (cause) throw new ServerFault(`${this.server} ${limitText(cause)} while ${what}`, 'SERVER_PROTOCOL');
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** EXAMINE (read-only) `folder` and keep it open; after a recovery it is opened again. */
  async open(folder: string): Promise<MailboxObject | undefined> {
    this.close();
    this.lock = await this.run(`opening folder "${folder}"`, (c) => c.getMailboxLock(folder, { readOnly: true }));
    this.folder = folder;
    return this.client.mailbox || undefined;
  }

  close(): void {
    this.lock?.release();
    this.lock = undefined;
    this.folder = undefined;
  }

  /**
   * After a ServerFault: a new connection (and the folder opened again), unless the run has used up
   * its recoveries; then the fault ends the run.
   */
  async recover(fault: ServerFault): Promise<void> {
    this.recoveries += 1;
    if (this.recoveries > this.maxRecoveries) {
      throw new AppError(fault.code, `${fault.message}; the server failed ${this.recoveries} times in this run, so the run was stopped. Nothing was written.`, { server: this.server });
    }
    const folder = this.folder;
    this.lock = undefined;
    this.receivedBefore += this.client.stats().received;
    this.detach();
    this.client.close();
    this.client = await this.reconnect();
    this.watch(this.client);
    if (folder) await this.open(folder);
  }

  get recoveriesUsed(): number {
    return this.recoveries;
  }
}

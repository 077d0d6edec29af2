// A bare-bones line-based IMAP conversation over node:tls / node:net, to check a server without any IMAP library.
// Test-only: never parses literals or MIME, never used by the app; one command at a time.
import net from 'node:net';
import tls from 'node:tls';

export interface RawResponse {
  status: 'OK' | 'NO' | 'BAD';
  /** Untagged lines (without the trailing CRLF) followed by the tagged one. */
  lines: string[];
  text: string;
}

export class RawImap {
  greeting = '';
  private buf = '';
  private tagNo = 0;
  private waiter: { tag: string; resolve: (r: RawResponse) => void; reject: (e: Error) => void } | undefined;
  private closedWith: Error | undefined;

  private constructor(private socket: net.Socket) {
    this.attach(socket);
  }

  /** Implicit TLS (IMAPS). Rejects with the TLS error (e.g. code SELF_SIGNED_CERT_IN_CHAIN) if the cert is not trusted. */
  static connectTls(opts: tls.ConnectionOptions): Promise<RawImap> {
    return RawImap.open(tls.connect(opts), 'secureConnect');
  }

  static connectPlain(host: string, port: number): Promise<RawImap> {
    return RawImap.open(net.connect({ host, port }), 'connect');
  }

  private static open(socket: net.Socket, ready: string): Promise<RawImap> {
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.once(ready, () => {
        const c = new RawImap(socket);
        c.nextLine().then((g) => ((c.greeting = g), resolve(c)), reject);
      });
    });
  }

  /** Sends `<tag> cmd` and resolves on the tagged reply (NO/BAD resolve too; check status). */
  command(cmd: string): Promise<RawResponse> {
    const tag = `t${++this.tagNo}`;
    return new Promise((resolve, reject) => {
      if (this.closedWith) return reject(this.closedWith);
      this.waiter = { tag, resolve, reject };
      this.socket.write(`${tag} ${cmd}\r\n`);
      this.drain();
    });
  }

  /** STARTTLS on a plain connection, then continue over TLS. */
  async starttls(opts: tls.ConnectionOptions): Promise<RawResponse> {
    const r = await this.command('STARTTLS');
    if (r.status !== 'OK') return r;
    this.socket.removeAllListeners('data');
    const secure = tls.connect({ ...opts, socket: this.socket });
    await new Promise<void>((resolve, reject) => (secure.once('secureConnect', resolve), secure.once('error', reject)));
    this.socket = secure;
    this.attach(secure);
    return r;
  }

  /** LOGOUT if still open, then close the socket. */
  async close(): Promise<void> {
    if (!this.closedWith) await this.command('LOGOUT').catch(() => undefined);
    this.socket.destroy();
  }

  /** Resolves when the server closes the connection (or it breaks). */
  closed(): Promise<Error> {
    return new Promise((resolve) => (this.closedWith ? resolve(this.closedWith) : this.socket.once('close', () => resolve(this.closedWith!))));
  }

  private attach(socket: net.Socket): void {
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      this.drain();
    });
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  private fail(e: Error): void {
    this.closedWith ??= e;
    this.waiter?.reject(this.closedWith);
    this.waiter = undefined;
  }

  private nextLine(): Promise<string> {
    return new Promise((resolve, reject) => {
      const poll = () => {
        const i = this.buf.indexOf('\r\n');
        if (i >= 0) {
          const line = this.buf.slice(0, i);
          this.buf = this.buf.slice(i + 2);
          return resolve(line);
        }
        if (this.closedWith) return reject(this.closedWith);
        this.socket.once('data', () => setImmediate(poll));
      };
      poll();
    });
  }

  private drain(): void {
    const w = this.waiter;
    if (!w) return;
    const m = new RegExp(`(?:^|\\r\\n)${w.tag} (OK|NO|BAD)[^\\r]*\\r\\n`).exec(this.buf);
    if (!m) return;
    const end = m.index + m[0].length;
    const text = this.buf.slice(0, end);
    this.buf = this.buf.slice(end);
    this.waiter = undefined;
    w.resolve({ status: m[1] as RawResponse['status'], lines: text.split('\r\n').filter(Boolean), text });
  }
}

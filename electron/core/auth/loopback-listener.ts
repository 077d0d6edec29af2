// The RFC 8252 loopback redirect: an HTTP listener on 127.0.0.1, port 0, that accepts exactly one
// callback carrying our state, answers "return to mailbox2ics", and closes. Never listens beyond
// loopback, never outlives the sign-in (callback, cancel or timeout all close it).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.ts';
import { BROWSER_SIGN_IN_TIMEOUT_MS, MAX_CALLBACK_URL_BYTES } from './auth-limits.ts';
import { cancelledSignIn } from './oauth-errors.ts';

export interface LoopbackListener {
  /** The redirect URI to send, with the port we got. */
  redirectUri: string;
  /** Resolves with the full callback URL (for openid-client), once. */
  callback: Promise<URL>;
  /** Stops waiting: the callback promise rejects with "sign-in cancelled". */
  cancel(): void;
  /** True once the listener no longer accepts connections. */
  readonly closed: boolean;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

export async function openLoopbackListener(opts: { host: 'localhost' | '127.0.0.1'; path: string; state: () => string | undefined; timeoutMs?: number }): Promise<LoopbackListener> {
  let settle!: { resolve: (u: URL) => void; reject: (e: Error) => void };
  const callback = new Promise<URL>((resolve, reject) => (settle = { resolve, reject }));
  callback.catch(() => {}); // a cancel before anyone awaits must not be an unhandled rejection
  let done = false;
  let closed = false;
  const server = http.createServer((req, res) => {
    const raw = req.url ?? '';
    // A browser sends only our redirect here; anything else is a port scan or another page's probe.
    if (done || raw.length > MAX_CALLBACK_URL_BYTES || req.method !== 'GET') return void res.writeHead(done ? 410 : 400).end();
    const url = new URL(raw, `http://${opts.host}:${port}`);
    if (url.pathname !== opts.path) return void res.writeHead(404).end();
    const expected = opts.state();
    // Only the callback with our state counts: another site cannot end (or answer) this sign-in.
    if (!expected || url.searchParams.get('state') !== expected) {
      res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE('Not this sign-in', 'This link does not belong to the sign-in mailbox2ics is waiting for.'));
      return;
    }
    done = true;
    const denied = url.searchParams.get('error');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' });
    res.end(denied ? PAGE('Sign-in cancelled', 'You can close this tab and return to mailbox2ics.') : PAGE('Signed in', 'You can close this tab and return to mailbox2ics.'));
    finish();
    settle.resolve(url);
  });
  const finish = () => {
    clearTimeout(timer);
    if (closed) return;
    closed = true;
    server.close();
    server.closeAllConnections?.();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const timeoutMs = opts.timeoutMs ?? BROWSER_SIGN_IN_TIMEOUT_MS;
  const timer = setTimeout(() => {
    done = true;
    finish();
    settle.reject(new AppError('CANCELLED', `sign-in cancelled: nobody finished it within ${Math.round(timeoutMs / 60_000) || 1} minute(s)`));
  }, timeoutMs);
  timer.unref?.();
  return {
    redirectUri: `http://${opts.host}:${port}${opts.path}`,
    callback,
    cancel() {
      if (done) return;
      done = true;
      finish();
      settle.reject(cancelledSignIn());
    },
    get closed() {
      return closed;
    },
  };
}

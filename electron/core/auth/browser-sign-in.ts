// Interactive sign-in through the system browser: loopback listener, authorization code + PKCE
// S256 + state + iss, one callback, then the code exchange. The browser is opened by an injected
// opener (shell.openExternal in the app, a printed URL in the CLI); never a webview.
import { AppError } from '../errors.ts';
import { openLoopbackListener } from './loopback-listener.ts';
import { authorizationRequest, exchangeCode, type OAuthClient, type TokenSet } from './oidc-client.ts';
import { cancelledSignIn } from './oauth-errors.ts';

export interface BrowserSignInOptions {
  /** Opens (or shows) the authorization URL. */
  open: (url: string) => Promise<void> | void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function browserSignIn(client: OAuthClient, opts: BrowserSignInOptions): Promise<TokenSet> {
  if (opts.signal?.aborted) throw cancelledSignIn();
  let state: string | undefined;
  const listener = await openLoopbackListener({ ...client.preset.redirect, state: () => state, timeoutMs: opts.timeoutMs });
  const onAbort = () => listener.cancel();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const req = await authorizationRequest(client, listener.redirectUri);
    state = req.state;
    try {
      await opts.open(req.url.href);
    } catch (err) {
      throw new AppError('OAUTH_FAILED', `The browser could not be opened: ${(err as Error).message}`);
    }
    const callback = await listener.callback;
    return await exchangeCode(client, req, callback);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    listener.cancel();
  }
}

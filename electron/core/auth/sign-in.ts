// Signs one configured account in, interactively (browser) or with the device grant, and keeps
// the result: the refresh token in the store, the access token in the account's manager. Refuses
// a sign-in as another user than the account's. Never prints or returns a token.
import { AppError } from '../errors.ts';
import type { OAuthSettings } from '../../shared/config-schema.ts';
import { browserSignIn } from './browser-sign-in.ts';
import { openOAuthClient, pollDeviceGrant, revokeToken, startDeviceGrant, type DeviceStart, type OAuthClient, type TokenSet } from './oidc-client.ts';
import type { TokenManagers } from './token-managers.ts';

export type SignInMethod =
  | { kind: 'browser'; open: (url: string) => Promise<void> | void; timeoutMs?: number }
  | { kind: 'device'; show: (d: { verificationUri: string; verificationUriComplete?: string; userCode: string; expiresInS: number }) => void };

export interface SignInRequest {
  accountName: string;
  settings: OAuthSettings;
  /** The account's IMAP user name; the sign-in must be this user's (case-insensitive). Empty: whoever signs in. */
  expectedUser?: string;
  method: SignInMethod;
  signal?: AbortSignal;
  caPem?: string;
}

export interface SignInResult {
  user: string;
  /** Where the sign-in was kept. */
  where: 'keychain' | 'memory';
}

async function obtain(client: OAuthClient, req: SignInRequest): Promise<TokenSet> {
  if (req.method.kind === 'browser') return browserSignIn(client, { open: req.method.open, signal: req.signal, timeoutMs: req.method.timeoutMs });
  if (!client.preset.deviceGrant) throw new AppError('OAUTH_FAILED', `${client.preset.label} does not allow the device sign-in for mail; use mailbox2ics login --no-browser instead.`, { provider: client.preset.label });
  const d: DeviceStart = await startDeviceGrant(client);
  req.method.show({ verificationUri: d.verificationUri, verificationUriComplete: d.verificationUriComplete, userCode: d.userCode, expiresInS: d.expiresInS });
  return pollDeviceGrant(client, d, req.signal);
}

export async function signIn(managers: TokenManagers, req: SignInRequest): Promise<SignInResult> {
  const client = await openOAuthClient(req.settings, { caPem: req.caPem ?? managers.caPem });
  const tokens = await obtain(client, req);
  const user = tokens.user;
  const wrong = !user || (req.expectedUser && user.toLowerCase() !== req.expectedUser.toLowerCase());
  if (wrong) {
    // Not kept, and given back: a grant for the wrong mailbox must not linger at the provider.
    if (tokens.refreshToken) await revokeToken(client, tokens.refreshToken).catch(() => false);
    throw new AppError('REFUSED', user
      ? `You signed in to ${client.preset.label} as "${user}", but the account "${req.accountName}" is for "${req.expectedUser}". Nothing was saved; sign in as "${req.expectedUser}".`
      : `${client.preset.label} did not say who signed in (no ${client.preset.userClaims.join(' or ')} claim); add the "openid email" scopes. Nothing was saved.`, { account: req.accountName });
  }
  const manager = managers.for(req.accountName, req.settings);
  await manager.saveSignIn(tokens, user!, client.preset.scopes);
  return { user: user!, where: managers.store.where() };
}

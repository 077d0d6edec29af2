// The account's OAuth2 client: discovery (openid-client 6), authorization URLs with PKCE S256,
// code exchange with state and iss checks, refresh, revocation and the device grant. Holds no
// tokens itself; never logs one.
import type * as oidc from 'openid-client';
import { readFile } from 'node:fs/promises';
import { AppError } from '../errors.ts';
import { DEFAULT_TOKEN_LIFETIME_S, ISSUER_TIMEOUT_MS } from './auth-limits.ts';
import { issuerFetch } from './issuer-fetch.ts';
import { signInError } from './oauth-errors.ts';
import { resolvePreset, type ProviderPreset } from './provider-presets.ts';
import type { OAuthSettings } from '../../shared/config-schema.ts';

export interface TokenSet {
  accessToken: string;
  /** ms since the epoch. */
  expiresAt: number;
  refreshToken?: string;
  scope?: string;
  /** The signed-in user (the preset's user claim), when the answer names one. */
  user?: string;
}

export interface OAuthClient {
  preset: ProviderPreset;
  settings: OAuthSettings;
  config: oidc.Configuration;
  /** openid-client, loaded with the first client: a run without an OAuth2 account never loads it. */
  lib: typeof oidc;
}

/** Discovers the issuer. caPem trusts a private issuer's CA; fetchImpl replaces the network (recorded documents in tests). */
export async function openOAuthClient(settings: OAuthSettings, opts: { caPem?: string; fetchImpl?: oidc.CustomFetch } = {}): Promise<OAuthClient> {
  const preset = resolvePreset(settings);
  const lib = await import('openid-client');
  const caPem = opts.caPem ?? (settings.issuerCaFile ? await readFile(settings.issuerCaFile, 'utf8').catch((e) => {
    throw new AppError('CONFIG', `Cannot read the issuer CA file ${settings.issuerCaFile}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }) : undefined);
  const fetchImpl = opts.fetchImpl ?? (issuerFetch(caPem) as unknown as oidc.CustomFetch);
  const auth = settings.clientSecret ? lib.ClientSecretPost(settings.clientSecret) : lib.None();
  try {
    const config = await lib.discovery(new URL(preset.issuer), settings.clientId, undefined, auth, { [lib.customFetch]: fetchImpl, timeout: ISSUER_TIMEOUT_MS / 1000 });
    return { preset, settings, config, lib };
  } catch (err) {
    throw signInError(err, preset.label);
  }
}

export interface PkceRequest {
  url: URL;
  state: string;
  verifier: string;
  redirectUri: string;
}

export async function authorizationRequest(c: OAuthClient, redirectUri: string): Promise<PkceRequest> {
  const verifier = c.lib.randomPKCECodeVerifier();
  const state = c.lib.randomState();
  const url = c.lib.buildAuthorizationUrl(c.config, {
    redirect_uri: redirectUri,
    scope: c.preset.scopes.join(' '),
    response_type: 'code',
    code_challenge: await c.lib.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...c.preset.authParams,
  });
  return { url, state, verifier, redirectUri };
}

/** The user the answer names: the ID token's claims, else the userinfo endpoint. */
async function userOf(c: OAuthClient, r: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): Promise<string | undefined> {
  const pick = (claims: Record<string, unknown> | undefined) => {
    for (const k of c.preset.userClaims) if (typeof claims?.[k] === 'string' && claims[k]) return claims[k] as string;
    return undefined;
  };
  const claims = r.claims();
  const fromId = pick(claims as Record<string, unknown> | undefined);
  if (fromId || !claims?.sub || !c.config.serverMetadata().userinfo_endpoint) return fromId;
  try {
    return pick((await c.lib.fetchUserInfo(c.config, r.access_token, claims.sub)) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

async function tokenSet(c: OAuthClient, r: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers, now: number): Promise<TokenSet> {
  return {
    accessToken: r.access_token,
    expiresAt: now + 1000 * (r.expires_in ?? DEFAULT_TOKEN_LIFETIME_S),
    refreshToken: r.refresh_token,
    scope: r.scope,
    user: await userOf(c, r),
  };
}

/** Exchanges the callback URL's code, checking state, iss (RFC 9207) and PKCE. */
export async function exchangeCode(c: OAuthClient, req: PkceRequest, callback: URL, now = Date.now): Promise<TokenSet> {
  try {
    const r = await c.lib.authorizationCodeGrant(c.config, callback, { pkceCodeVerifier: req.verifier, expectedState: req.state });
    return await tokenSet(c, r, now());
  } catch (err) {
    throw signInError(err, c.preset.label);
  }
}

/** Throws what openid-client throws: callers map it (refreshError) with the account's name. */
export async function refreshTokens(c: OAuthClient, refreshToken: string, now = Date.now): Promise<TokenSet> {
  const r = await c.lib.refreshTokenGrant(c.config, refreshToken);
  return tokenSet(c, r, now());
}

/** Revokes at the provider when it offers revocation; false when it does not. */
export async function revokeToken(c: OAuthClient, token: string, hint: 'refresh_token' | 'access_token' = 'refresh_token'): Promise<boolean> {
  if (!c.config.serverMetadata().revocation_endpoint) return false;
  await c.lib.tokenRevocation(c.config, token, { token_type_hint: hint });
  return true;
}

export interface DeviceStart {
  verificationUri: string;
  verificationUriComplete?: string;
  userCode: string;
  expiresInS: number;
  response: oidc.DeviceAuthorizationResponse;
}

export async function startDeviceGrant(c: OAuthClient): Promise<DeviceStart> {
  if (!c.config.serverMetadata().device_authorization_endpoint) {
    throw new AppError('OAUTH_FAILED', `${c.preset.label} offers no device sign-in; use mailbox2ics login --no-browser instead.`, { provider: c.preset.label });
  }
  try {
    const r = await c.lib.initiateDeviceAuthorization(c.config, { scope: c.preset.scopes.join(' '), ...c.preset.authParams });
    return { verificationUri: r.verification_uri, verificationUriComplete: r.verification_uri_complete, userCode: r.user_code, expiresInS: r.expires_in, response: r };
  } catch (err) {
    throw signInError(err, c.preset.label);
  }
}

export async function pollDeviceGrant(c: OAuthClient, d: DeviceStart, signal?: AbortSignal, now = Date.now): Promise<TokenSet> {
  try {
    const r = await c.lib.pollDeviceAuthorizationGrant(c.config, d.response, undefined, { signal });
    return await tokenSet(c, r, now());
  } catch (err) {
    throw signInError(err, c.preset.label);
  }
}

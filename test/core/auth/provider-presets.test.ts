// The Microsoft and Google presets against their discovery documents (test/fixtures/oauth): the
// authorization URL, scopes, PKCE and Entra ID's "{tenantid}" issuer, through openid-client itself.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authorizationRequest, openOAuthClient, startDeviceGrant } from '../../../electron/core/auth/oidc-client.ts';
import { microsoftIssuer, resolvePreset } from '../../../electron/core/auth/provider-presets.ts';
import type { OAuthSettings } from '../../../electron/shared/config-schema.ts';
import type { CustomFetch } from 'openid-client';
import { generateKeyPairSync, sign } from 'node:crypto';
import { exchangeCode } from '../../../electron/core/auth/oidc-client.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/oauth');
const doc = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** Serves exactly one discovery document for one URL; anything else is a test failure. */
function recorded(url: string, body: string, seen: string[] = []): CustomFetch {
  return (async (u: string) => {
    seen.push(u);
    if (u !== url) return new Response('not recorded', { status: 404 });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as CustomFetch;
}

describe('Microsoft preset', () => {
  const settings: OAuthSettings = { kind: 'oauth2', provider: 'microsoft', clientId: '11111111-2222-3333-4444-555555555555' };

  it('discovers the "organizations" authority, whose issuer has a literal {tenantid}', async () => {
    const seen: string[] = [];
    const c = await openOAuthClient(settings, { fetchImpl: recorded('https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration', doc('microsoft-organizations-v2.0.json'), seen) });
    expect(seen).toEqual(['https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration']);
    expect(c.config.serverMetadata().issuer).toBe('https://login.microsoftonline.com/{tenantid}/v2.0');
  });

  it('builds the authorization URL with the IMAP scope, offline access, consent, PKCE S256 and a localhost redirect', async () => {
    const c = await openOAuthClient(settings, { fetchImpl: recorded('https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration', doc('microsoft-organizations-v2.0.json')) });
    const req = await authorizationRequest(c, 'http://localhost:49152/');
    const u = req.url;
    expect(u.origin + u.pathname).toBe('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize');
    const p = Object.fromEntries(u.searchParams);
    expect(p.scope.split(' ')).toEqual(['openid', 'email', 'profile', 'offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All']);
    expect(p).toMatchObject({ client_id: settings.clientId, response_type: 'code', redirect_uri: 'http://localhost:49152/', code_challenge_method: 'S256', prompt: 'consent', state: req.state });
    expect(p.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.code_challenge).not.toBe(req.verifier);
    expect(c.preset.imap).toEqual({ host: 'outlook.office365.com', port: 993 });
    expect(c.preset.userClaims[0]).toBe('preferred_username');
  });

  it('uses a tenant when one is given, and refuses one that would change the URL path', () => {
    expect(resolvePreset({ ...settings, tenant: 'contoso.onmicrosoft.com' }).issuer).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0');
    expect(() => microsoftIssuer('../common')).toThrow(/not a Microsoft tenant/);
  });

  it('offers the device grant (Microsoft allows it for public clients)', () => {
    expect(resolvePreset(settings).deviceGrant).toBe(true);
  });
});

describe('Microsoft ID tokens and the {tenantid} issuer', () => {
  const settings: OAuthSettings = { kind: 'oauth2', provider: 'microsoft', clientId: '11111111-2222-3333-4444-555555555555' };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const idToken = (claims: Record<string, unknown>) => {
    const head = `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64(claims)}`;
    return `${head}.${sign('sha256', Buffer.from(head), privateKey).toString('base64url')}`;
  };
  /** The recorded discovery document, our keys at its jwks_uri, and a token endpoint answering with `claims`. */
  const entra = (claims: Record<string, unknown>): CustomFetch => (async (u: string) => {
    if (u === 'https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration') return new Response(doc('microsoft-organizations-v2.0.json'), { headers: { 'content-type': 'application/json' } });
    if (u === 'https://login.microsoftonline.com/organizations/discovery/v2.0/keys') return new Response(jwks, { headers: { 'content-type': 'application/json' } });
    if (u === 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token') {
      return new Response(JSON.stringify({ token_type: 'Bearer', access_token: 'at', refresh_token: 'rt', expires_in: 3600, scope: 'https://outlook.office.com/IMAP.AccessAsUser.All', id_token: idToken(claims) }), { headers: { 'content-type': 'application/json' } });
    }
    return new Response('not recorded', { status: 404 });
  }) as unknown as CustomFetch;
  const tid = '9188040d-6c67-4c5b-b112-36a304b66dad';
  const now = Math.floor(Date.now() / 1000);
  const base = { aud: settings.clientId, sub: 'abc', tid, iat: now, exp: now + 3600, preferred_username: 'alice@contoso.com', email: 'alice.other@contoso.com' };

  const exchange = async (claims: Record<string, unknown>) => {
    const c = await openOAuthClient(settings, { fetchImpl: entra(claims) });
    const req = await authorizationRequest(c, 'http://localhost:49152/');
    return exchangeCode(c, req, new URL(`http://localhost:49152/?code=the-code&state=${req.state}`));
  };

  it('accepts an ID token whose issuer is the {tenantid} template filled with its own tid, and takes preferred_username as the user', async () => {
    const t = await exchange({ ...base, iss: `https://login.microsoftonline.com/${tid}/v2.0` });
    expect(t.user).toBe('alice@contoso.com');
    expect(t.refreshToken).toBe('rt');
  });

  it('refuses an ID token from another tenant than the one it names (only "iss" differs from the accepted one)', async () => {
    await expect(exchange({ ...base, iss: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0' })).rejects.toThrow(/Signing in to Microsoft failed: unexpected JWT claim value/);
  });
});

describe('Google preset', () => {
  const settings: OAuthSettings = { kind: 'oauth2', provider: 'google', clientId: '123-abc.apps.googleusercontent.com' };

  it('asks for the mail scope with offline access and consent, PKCE S256 and a 127.0.0.1 redirect', async () => {
    const c = await openOAuthClient(settings, { fetchImpl: recorded('https://accounts.google.com/.well-known/openid-configuration', doc('google.json')) });
    expect(c.preset.redirect).toEqual({ host: '127.0.0.1', path: '/' });
    const req = await authorizationRequest(c, 'http://127.0.0.1:49153/');
    const p = Object.fromEntries(req.url.searchParams);
    expect(req.url.origin + req.url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(p.scope.split(' ')).toEqual(['openid', 'email', 'https://mail.google.com/']);
    expect(p).toMatchObject({ access_type: 'offline', prompt: 'consent', code_challenge_method: 'S256', redirect_uri: 'http://127.0.0.1:49153/' });
    expect(c.preset.imap).toEqual({ host: 'imap.gmail.com', port: 993 });
  });

  it('does not offer the device grant: Google refuses it for the mail scope', () => {
    expect(resolvePreset(settings).deviceGrant).toBe(false);
  });

  it('uses the account\'s own scopes when it has them', () => {
    expect(resolvePreset({ ...settings, scopes: ['openid', 'https://mail.google.com/'] }).scopes).toEqual(['openid', 'https://mail.google.com/']);
  });
});

describe('generic issuer', () => {
  it('refuses a discovery document whose issuer is not the one configured (only Entra ID gets the {tenantid} exception)', async () => {
    const body = JSON.stringify({ ...JSON.parse(doc('google.json')), issuer: 'https://evil.example' });
    const e = await openOAuthClient({ kind: 'oauth2', provider: 'generic', issuer: 'https://id.example.org', clientId: 'x' }, { fetchImpl: recorded('https://id.example.org/.well-known/openid-configuration', body) }).catch((x: unknown) => x);
    expect((e as { code?: string }).code).toBe('OAUTH_FAILED');
    expect((e as Error).message).toMatch(/issuer/);
  });

  it('says plainly when a provider has no device grant', async () => {
    const body = JSON.stringify({ ...JSON.parse(doc('google.json')), issuer: 'https://id.example.org', device_authorization_endpoint: undefined });
    const c = await openOAuthClient({ kind: 'oauth2', provider: 'generic', issuer: 'https://id.example.org', clientId: 'x' }, { fetchImpl: recorded('https://id.example.org/.well-known/openid-configuration', body) });
    await expect(startDeviceGrant(c)).rejects.toThrow(/offers no device sign-in; use mailbox2ics login --no-browser/);
  });
});

// A real OAuth2 / OpenID authorization server for tests (oidc-provider) on https 127.0.0.1 with a
// throwaway CA: its own login page (checks a password) and consent page (with Deny), a public native
// client, rotating refresh tokens, introspection for Dovecot, revocation and the device grant.
// Test-only: loopback only, in this process, gone when stopped.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import Provider from 'oidc-provider';
import { makeTestPki, type TestPki } from './certs.ts';

export const NATIVE_CLIENT_ID = 'mailbox2ics-test';
export const DOVECOT_CLIENT_ID = 'dovecot-imap';
export const IMAP_SCOPE = 'imap';
/** The resource server (Dovecot) the access tokens are for. */
export const IMAP_RESOURCE = 'imap://127.0.0.1';

export interface OAuthServerOptions {
  /** user (e-mail) → password. */
  users?: Record<string, string>;
  accessTokenTtlS?: number;
  /** 'opaque' for introspection, 'jwt' (RS256, typ JWT) for Dovecot's local validation. */
  accessTokenFormat?: 'opaque' | 'jwt';
}

export interface OAuthServer {
  issuer: string;
  pki: TestPki;
  dovecotClientSecret: string;
  /** The RS256 signing key (PEM) and its kid: what Dovecot's local validation needs. */
  signingKey: { kid: string; publicPem: string };
  provider: Provider;
  /** Every access, refresh and ID token the server issued: tests look for them where they must not be. */
  issued: string[];
  /** Revokes every grant of a user (as an admin would), so refresh tokens stop working. */
  revokeGrants(user: string): Promise<void>;
  stop(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) => `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><h1>${esc(title)}</h1>${body}`;

async function formBody(req: import('node:http').IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOAuthServer(opts: OAuthServerOptions = {}): Promise<OAuthServer> {
  const users = opts.users ?? { 'alice@example.test': 'alice-pw', 'bob@example.test': 'bob-pw' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'm2i-oauth-'));
  const pki = makeTestPki(path.join(dir, 'pki'));
  const dovecotClientSecret = randomBytes(16).toString('hex');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-rs256';
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const format = opts.accessTokenFormat ?? 'opaque';
  const ttl = opts.accessTokenTtlS ?? 600;
  // The port is known only after listening; the provider is made for that issuer.
  const server = https.createServer({ cert: pki.certPem, key: (await import('node:fs')).readFileSync(pki.keyFile) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const grants = new Map<string, Set<string>>(); // user → grant ids

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: NATIVE_CLIENT_ID, application_type: 'native', token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'], response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      },
      { client_id: DOVECOT_CLIENT_ID, client_secret: dovecotClientSecret, token_endpoint_auth_method: 'client_secret_post', redirect_uris: [], response_types: [], grant_types: [] },
    ],
    jwks: { keys: [jwk as never] },
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'offline_access', IMAP_SCOPE],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, id: string) => (id in users ? { accountId: id, claims: async () => ({ sub: id, email: id, email_verified: true }) } : undefined),
    extraTokenClaims: async (_ctx: unknown, token: { accountId?: string }) => (token.accountId ? { email: token.accountId } : undefined),
    rotateRefreshToken: true,
    ttl: { AccessToken: ttl, AuthorizationCode: 60, DeviceCode: 600, Grant: 3600, IdToken: 3600, Interaction: 600, Session: 3600, RefreshToken: 3600 },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      deviceFlow: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => IMAP_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          scope: IMAP_SCOPE, audience: DOVECOT_CLIENT_ID, accessTokenTTL: ttl, accessTokenFormat: format,
          ...(format === 'jwt' ? { jwt: { sign: { alg: 'RS256' } } } : {}),
        }),
      },
    },
    formats: {
      customizers: {
        // Dovecot 2.3 refuses RFC 9068's "at+jwt": it wants typ JWT.
        jwt: async (_ctx: unknown, _token: unknown, jwt: { header?: Record<string, string> }) => {
          jwt.header = { typ: 'JWT' };
        },
      },
    },
    cookies: { keys: [randomBytes(16).toString('hex')] },
  });
  const issued: string[] = [];
  provider.on('grant.success', (ctx) => {
    const body = (ctx as { body?: Record<string, unknown> }).body ?? {};
    for (const k of ['access_token', 'refresh_token', 'id_token']) if (typeof body[k] === 'string') issued.push(body[k] as string);
  });

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const m = /^\/interaction\/([^/]+)(?:\/(login|confirm|abort))?$/.exec(url.pathname);
    if (!m) return void callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      const uid = m[1];
      if (req.method === 'GET') {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        if (details.prompt.name === 'login') {
          const error = url.searchParams.get('error') ? '<p role="alert">Wrong user name or password.</p>' : '';
          return void res.end(page('Sign in', `${error}<form method="post" action="/interaction/${uid}/login"><label>Email <input name="login" autocomplete="off"></label><label>Password <input type="password" name="password"></label><button type="submit">Sign in</button></form>`));
        }
        return void res.end(page('Allow access', `<p>mailbox2ics wants to read your mail.</p><form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form><form method="post" action="/interaction/${uid}/abort"><button type="submit">Deny</button></form>`));
      }
      const form = await formBody(req);
      if (m[2] === 'login') {
        const login = form.get('login') ?? '';
        if (!(login in users) || users[login] !== form.get('password')) {
          res.writeHead(303, { Location: `/interaction/${uid}?error=1` });
          return void res.end();
        }
        return void (await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false }));
      }
      if (m[2] === 'abort') {
        return void (await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user denied access' }, { mergeWithLastSubmission: false }));
      }
      const accountId = details.session!.accountId;
      const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId, clientId: details.params.client_id as string });
      grant.addOIDCScope(String(details.params.scope ?? ''));
      grant.addResourceScope(IMAP_RESOURCE, IMAP_SCOPE);
      const grantId = await grant.save();
      if (!grants.has(accountId)) grants.set(accountId, new Set());
      grants.get(accountId)!.add(grantId);
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`interaction failed: ${(err as Error).message}`);
    }
  });

  return {
    issuer, pki, dovecotClientSecret, provider, issued,
    signingKey: { kid, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() },
    async revokeGrants(user) {
      for (const id of grants.get(user) ?? []) {
        const g = await provider.Grant.find(id);
        await g?.destroy();
        // Tokens of the grant go with it (as oidc-provider does on revocation).
        for (const model of ['AccessToken', 'RefreshToken'] as const) await (provider as unknown as Record<string, { adapter: { revokeByGrantId(id: string): Promise<void> } }>)[model].adapter.revokeByGrantId(id);
      }
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

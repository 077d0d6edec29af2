// What mailbox2ics knows about each kind of OAuth2 provider: issuer, scopes, extra authorization
// parameters, the claim that names the IMAP user, and the IMAP server. Never holds a client id.
import type { OAuthSettings } from '../../shared/config-schema.ts';

export type ProviderKind = OAuthSettings['provider'];

export interface ProviderPreset {
  kind: ProviderKind;
  /** "Microsoft", "Google", or the issuer's host: used in "sign in to … again". */
  label: string;
  /** Issuer URL (discovery base). */
  issuer: string;
  scopes: string[];
  /** Added to the authorization request (prompt=consent: no refresh token without it). */
  authParams: Record<string, string>;
  /** ID-token / userinfo claims that hold the IMAP user name, in order of preference. */
  userClaims: string[];
  imap?: { host: string; port: number };
  /** Whether the provider's device grant accepts this preset's scopes. */
  deviceGrant: boolean;
  /** The loopback redirect: host name and path as the provider matches them (the port is ignored, RFC 8252 §7.3). */
  redirect: { host: 'localhost' | '127.0.0.1'; path: string };
}

/** Microsoft's multi-tenant authority for work and school accounts; "common" also admits Outlook.com. */
export const MICROSOFT_DEFAULT_TENANT = 'organizations';
/** Tenant ids and names are GUIDs or DNS names; anything else would change the URL's path. */
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/;

export function microsoftIssuer(tenant = MICROSOFT_DEFAULT_TENANT): string {
  if (!TENANT.test(tenant)) throw new Error(`"${tenant}" is not a Microsoft tenant id or domain`);
  return `https://login.microsoftonline.com/${tenant}/v2.0`;
}

export const GOOGLE_ISSUER = 'https://accounts.google.com';

/** The preset for an account's settings; the account's own scopes replace the preset's. */
export function resolvePreset(s: OAuthSettings): ProviderPreset {
  const scopes = s.scopes?.length ? s.scopes : undefined;
  if (s.provider === 'microsoft') {
    return {
      kind: 'microsoft',
      label: 'Microsoft',
      issuer: s.issuer ?? microsoftIssuer(s.tenant),
      scopes: scopes ?? ['openid', 'email', 'profile', 'offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'],
      authParams: { prompt: 'consent' },
      // Microsoft's IMAP user name is the sign-in name; "email" may be absent or another address.
      userClaims: ['preferred_username', 'email'],
      imap: { host: 'outlook.office365.com', port: 993 },
      deviceGrant: true,
      // Entra's app registration offers "http://localhost" for mobile and desktop clients.
      redirect: { host: 'localhost', path: '/' },
    };
  }
  if (s.provider === 'google') {
    return {
      kind: 'google',
      label: 'Google',
      issuer: s.issuer ?? GOOGLE_ISSUER,
      scopes: scopes ?? ['openid', 'email', 'https://mail.google.com/'],
      // Google issues a refresh token only with access_type=offline, and again only with prompt=consent.
      authParams: { access_type: 'offline', prompt: 'consent' },
      userClaims: ['email'],
      imap: { host: 'imap.gmail.com', port: 993 },
      // Google's device flow refuses the mail scope.
      deviceGrant: false,
      // Google's desktop clients accept any loopback IP redirect without registering it.
      redirect: { host: '127.0.0.1', path: '/' },
    };
  }
  if (!s.issuer) throw new Error('an "Other OAuth2 / OpenID provider" needs its issuer URL');
  return {
    kind: 'generic',
    label: new URL(s.issuer).host,
    issuer: s.issuer,
    scopes: scopes ?? ['openid', 'email', 'offline_access'],
    authParams: { prompt: 'consent' },
    userClaims: ['email', 'preferred_username', 'sub'],
    deviceGrant: true,
    redirect: { host: '127.0.0.1', path: '/callback' },
  };
}

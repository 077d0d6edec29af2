// The sign-in choice as typed (password, Microsoft, Google, another OAuth2/OpenID provider) and the
// account's "auth" settings built from it. No tokens here: the window never holds one.
import type { OAuthSettings } from '../../../../electron/shared/config-schema.ts';

export type SignInKind = 'password' | 'microsoft' | 'google' | 'generic';

export interface OAuthDraft {
  kind: SignInKind;
  clientId: string;
  /** Microsoft only; empty: "organizations". */
  tenant: string;
  issuer: string;
  /** Space-separated; empty: the provider's defaults. */
  scopes: string;
  /** The saved account's issuer CA file, kept as it is (the window cannot choose another). */
  issuerCaFile?: string;
}

export const PROVIDER_LABELS: Record<Exclude<SignInKind, 'password'>, string> = {
  microsoft: 'Sign in with Microsoft',
  google: 'Sign in with Google',
  generic: 'Other OAuth2 / OpenID provider',
};

export function oauthDraftFrom(auth: { kind: string } | undefined): OAuthDraft {
  const a = auth?.kind === 'oauth2' ? (auth as OAuthSettings) : undefined;
  return { kind: a?.provider ?? 'password', clientId: a?.clientId ?? '', tenant: a?.tenant ?? '', issuer: a?.issuer ?? '', scopes: a?.scopes?.join(' ') ?? '', issuerCaFile: a?.issuerCaFile };
}

/** What is missing before a sign-in can start, in words; undefined when ready. */
export function oauthProblem(d: OAuthDraft): string | undefined {
  if (d.kind === 'password') return undefined;
  if (!d.clientId.trim()) return 'Enter the client id of the app registration (see the README: "Signing in with OAuth2").';
  if (d.kind === 'generic' && !/^https:\/\/\S+$/.test(d.issuer.trim())) return 'Enter the issuer URL, starting with https://.';
  if (d.kind === 'microsoft' && d.tenant.trim() && !/^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/.test(d.tenant.trim())) return 'A tenant is a GUID or a domain such as contoso.onmicrosoft.com.';
  return undefined;
}

/** The account's auth settings, or undefined for a password account (the config's default). */
export function toAuth(d: OAuthDraft): OAuthSettings | undefined {
  if (d.kind === 'password') return undefined;
  const scopes = d.scopes.trim().split(/\s+/).filter(Boolean);
  return {
    kind: 'oauth2',
    provider: d.kind,
    clientId: d.clientId.trim(),
    ...(d.kind === 'generic' ? { issuer: d.issuer.trim() } : {}),
    ...(d.kind === 'microsoft' && d.tenant.trim() ? { tenant: d.tenant.trim() } : {}),
    ...(scopes.length ? { scopes } : {}),
    ...(d.issuerCaFile ? { issuerCaFile: d.issuerCaFile } : {}),
  };
}

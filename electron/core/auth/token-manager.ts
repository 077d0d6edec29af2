// Access tokens for one OAuth2 account: refreshed ahead of expiry, one refresh in flight, the
// rotated refresh token saved before the new access token is used, and a lock so no other process
// refreshes the same record at the same time. Access tokens stay in memory; none is ever logged.
import { AppError } from '../errors.ts';
import type { OAuthSettings } from '../../shared/config-schema.ts';
import { REFRESH_AHEAD_MS } from './auth-limits.ts';
import { refreshTokens, revokeToken, type OAuthClient, type TokenSet } from './oidc-client.ts';
import { reauthRequired, refreshError } from './oauth-errors.ts';
import { resolvePreset } from './provider-presets.ts';
import { tokenItemName, type TokenRecord } from './token-record.ts';
import type { TokenLock } from './token-lock.ts';
import type { TokenStore } from './token-store.ts';

export interface TokenManagerDeps {
  accountName: string;
  settings: OAuthSettings;
  store: TokenStore;
  lock: TokenLock;
  /** Discovery, done lazily: a sync that has a valid access token contacts no issuer. */
  openClient: () => Promise<OAuthClient>;
  now?: () => number;
}

export class TokenManager {
  private access?: { token: string; expiresAt: number; ahead: number };
  private inflight?: Promise<string>;
  private client?: Promise<OAuthClient>;
  private readonly now: () => number;
  readonly label: string;

  constructor(private readonly deps: TokenManagerDeps) {
    this.now = deps.now ?? Date.now;
    this.label = resolvePreset(deps.settings).label;
  }

  private get account(): string {
    return this.deps.accountName;
  }

  private openClient(): Promise<OAuthClient> {
    // A failed discovery is tried again next time (the provider may have been down).
    this.client ??= this.deps.openClient().catch((e) => {
      this.client = undefined;
      throw e;
    });
    return this.client;
  }

  /** A record matches only the issuer and client it was made for: never send a refresh token elsewhere. */
  private async record(): Promise<TokenRecord> {
    const r = await this.deps.store.get(this.account);
    if (!r) throw reauthRequired(this.label, this.account, 'there is no saved sign-in for this account');
    const issuer = resolvePreset(this.deps.settings).issuer;
    if (r.issuer !== issuer || r.clientId !== this.deps.settings.clientId) {
      throw reauthRequired(this.label, this.account, 'the saved sign-in was made for another provider or client id');
    }
    return r;
  }

  /** A token valid for a while yet (REFRESH_AHEAD_MS, or half its lifetime if that is shorter), refreshing when needed. */
  async accessToken(): Promise<string> {
    if (this.access && this.access.expiresAt - this.access.ahead > this.now()) return this.access.token;
    return this.refresh();
  }

  /** Keeps an access token; a lifetime shorter than the margin must not mean "refresh on every use". */
  private keep(token: string, expiresAt: number): void {
    this.access = { token, expiresAt, ahead: Math.min(REFRESH_AHEAD_MS, Math.max(0, (expiresAt - this.now()) / 2)) };
  }

  /**
   * A new access token. With `rejected`, the server refused that one: a token another caller got
   * meanwhile is returned instead of refreshing twice.
   */
  refresh(rejected?: string): Promise<string> {
    if (rejected !== undefined && this.access && this.access.token !== rejected) return Promise.resolve(this.access.token);
    this.inflight ??= this.doRefresh().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async doRefresh(): Promise<string> {
    this.access = undefined;
    const release = await this.deps.lock(tokenItemName(this.account));
    try {
      // Read under the lock: another process may have rotated the refresh token a moment ago.
      const record = await this.record();
      const client = await this.openClient();
      let next: TokenSet;
      try {
        next = await refreshTokens(client, record.refreshToken, this.now);
      } catch (err) {
        const e = refreshError(err, this.label, this.account);
        // The grant is gone: the record can never work again, so it is not kept.
        if (e.code === 'REAUTH_REQUIRED') await this.deps.store.delete(this.account);
        throw e;
      }
      if (next.refreshToken && next.refreshToken !== record.refreshToken) {
        // Saved before the access token is used: losing the rotated token would lose the grant.
        await this.deps.store.set(this.account, { ...record, refreshToken: next.refreshToken, obtainedAt: new Date(this.now()).toISOString() });
      }
      this.keep(next.accessToken, next.expiresAt);
      return next.accessToken;
    } finally {
      release();
    }
  }

  /**
   * Runs fn with a token; when the server refuses it (TOKEN_REJECTED), refreshes once and retries
   * once, then gives up with REAUTH_REQUIRED. No loops: every refusal costs an auth penalty.
   */
  async withToken<T>(fn: (token: string) => Promise<T>): Promise<T> {
    const first = await this.accessToken();
    try {
      return await fn(first);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'TOKEN_REJECTED') throw err;
    }
    const second = await this.refresh(first);
    try {
      return await fn(second);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'TOKEN_REJECTED') throw err;
      this.access = undefined;
      throw reauthRequired(this.label, this.account, `the mail server refused the sign-in of "${(err.detail?.username as string) ?? 'this user'}"`);
    }
  }

  /** Keeps a new sign-in: the refresh token goes to the store, the access token to memory. */
  async saveSignIn(tokens: TokenSet, user: string, scopes: string[]): Promise<void> {
    if (!tokens.refreshToken) {
      throw new AppError('OAUTH_FAILED', `${this.label} signed you in but gave no refresh token, so mailbox2ics could not sync later without you. Check that the client may use offline access (the offline_access scope).`, { provider: this.label });
    }
    const release = await this.deps.lock(tokenItemName(this.account));
    try {
      await this.deps.store.set(this.account, {
        v: 1, issuer: resolvePreset(this.deps.settings).issuer, clientId: this.deps.settings.clientId, user, scopes,
        refreshToken: tokens.refreshToken, obtainedAt: new Date(this.now()).toISOString(),
      });
    } finally {
      release();
    }
    this.keep(tokens.accessToken, tokens.expiresAt);
  }

  /** The signed-in user, or undefined when there is no usable saved sign-in. */
  async signedInUser(): Promise<string | undefined> {
    return this.record().then((r) => r.user, () => undefined);
  }

  /** Revokes at the provider when it can (a failure there is reported, not fatal) and forgets the sign-in. */
  async signOut(): Promise<{ revoked: boolean; problem?: string }> {
    this.access = undefined;
    const release = await this.deps.lock(tokenItemName(this.account));
    try {
      const r = await this.deps.store.get(this.account);
      if (!r) return { revoked: false };
      let revoked = false;
      let problem: string | undefined;
      try {
        if (r.issuer === resolvePreset(this.deps.settings).issuer) revoked = await revokeToken(await this.openClient(), r.refreshToken);
      } catch (err) {
        problem = `the provider did not confirm the revocation: ${(err as Error).message}`;
      }
      await this.deps.store.delete(this.account);
      return { revoked, problem };
    } finally {
      release();
    }
  }
}

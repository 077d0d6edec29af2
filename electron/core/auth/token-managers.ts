// One TokenManager per OAuth2 account in this process, made on first use and replaced when the
// account's sign-in settings change. Shared by every connect path (scan, folders, test, schedule).
import type { Account, OAuthSettings } from '../../shared/config-schema.ts';
import { resolveConfigPath } from '../config/config-file.ts';
import { openOAuthClient } from './oidc-client.ts';
import { TokenManager } from './token-manager.ts';
import { fileTokenLock, type TokenLock } from './token-lock.ts';
import type { TokenStore } from './token-store.ts';

/** The account's OAuth2 settings, with a relative issuer CA file resolved against the configuration file. */
export function oauthOf(account: Account | undefined, configFile?: string): OAuthSettings | undefined {
  const a = account?.auth?.kind === 'oauth2' ? account.auth : undefined;
  if (!a?.issuerCaFile || !configFile) return a;
  return { ...a, issuerCaFile: resolveConfigPath(a.issuerCaFile, configFile) };
}

export class TokenManagers {
  private readonly managers = new Map<string, { key: string; manager: TokenManager }>();

  constructor(
    readonly store: TokenStore,
    private readonly lock: TokenLock = fileTokenLock(),
    /** Trusted CA for every issuer (tests); accounts name their own with issuerCaFile. */
    readonly caPem?: string,
    private readonly now?: () => number,
  ) {}

  for(accountName: string, settings: OAuthSettings): TokenManager {
    const key = JSON.stringify(settings);
    const kept = this.managers.get(accountName);
    if (kept?.key === key) return kept.manager;
    const manager = new TokenManager({
      accountName, settings, store: this.store, lock: this.lock,
      openClient: () => openOAuthClient(settings, { caPem: this.caPem }),
      now: this.now,
    });
    this.managers.set(accountName, { key, manager });
    return manager;
  }

  forget(accountName: string): void {
    this.managers.delete(accountName);
  }
}

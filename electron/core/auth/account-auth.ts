// Runs a connecting step with the account's credential: its password, or for an OAuth2 account an
// access token from its TokenManager (refresh once and retry once on a refusal, then
// REAUTH_REQUIRED). Every connect path goes through here; it never logs either.
import type { Account } from '../../shared/config-schema.ts';
import { oauthOf, type TokenManagers } from './token-managers.ts';

export interface Credential {
  password: string;
  accessToken?: string;
}

export interface AccountAuth {
  accountName: string;
  account: Account;
  tokens: TokenManagers;
  /** The configuration file the account comes from (relative paths in it are relative to it). */
  configFile?: string;
  /** Finds the password (env, keychain, prompt); only called for password accounts. */
  password: () => Promise<string>;
}

export async function withAccountCredential<T>(a: AccountAuth, fn: (c: Credential) => Promise<T>): Promise<T> {
  const oauth = oauthOf(a.account, a.configFile);
  if (!oauth) return fn({ password: await a.password() });
  return a.tokens.for(a.accountName, oauth).withToken((accessToken) => fn({ password: '', accessToken }));
}

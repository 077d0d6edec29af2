// Where sign-in records live: the OS keychain through the existing SecretStore, or, where no
// keychain exists, this process's memory (said once; gone when the process ends). Never a file.
import { AppError } from '../errors.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { decodeRecord, encodeRecord, tokenItemName, type TokenRecord } from './token-record.ts';

export interface TokenStore {
  get(account: string): Promise<TokenRecord | undefined>;
  set(account: string, record: TokenRecord): Promise<void>;
  delete(account: string): Promise<void>;
  /** Where the last operation kept the record. */
  where(): 'keychain' | 'memory';
}

const unavailable = (err: unknown) => err instanceof AppError && err.code === 'KEYCHAIN_UNAVAILABLE';

export function keychainTokenStore(openSecrets: () => Promise<SecretStore>, note: (m: string) => void = () => {}): TokenStore {
  const memory = new Map<string, string>();
  let inMemory = false;
  const noted = { said: false };
  const fallback = (err: unknown) => {
    if (!unavailable(err)) throw err;
    inMemory = true;
    if (!noted.said) note(`note: ${(err as Error).message}; the sign-in is kept in memory only until this program ends.`);
    noted.said = true;
  };
  return {
    async get(account) {
      try {
        return decodeRecord(await (await openSecrets()).get(tokenItemName(account)));
      } catch (err) {
        fallback(err);
        return decodeRecord(memory.get(account));
      }
    },
    async set(account, record) {
      const text = encodeRecord(record);
      try {
        await (await openSecrets()).set(tokenItemName(account), text);
        inMemory = false;
      } catch (err) {
        fallback(err);
        memory.set(account, text);
      }
    },
    async delete(account) {
      memory.delete(account);
      try {
        await (await openSecrets()).delete(tokenItemName(account));
      } catch (err) {
        fallback(err);
      }
    },
    where: () => (inMemory ? 'memory' : 'keychain'),
  };
}

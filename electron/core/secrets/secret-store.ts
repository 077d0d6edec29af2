// The password store behind a small interface: keytar (OS keychain) today, replaceable tomorrow
// (keytar is archived upstream). Never writes a password anywhere but the keychain.
import { AppError } from '../errors.ts';

export const KEYCHAIN_SERVICE = 'mailbox2ics';

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, password: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

function unavailable(err: unknown): AppError {
  const msg = (err as Error)?.message ?? String(err);
  return new AppError('KEYCHAIN_UNAVAILABLE', `The system keychain is not available: ${msg}`, { cause: msg });
}

/** Loads keytar lazily: a missing native module or Secret Service must not break a headless run. */
export async function keytarStore(service = KEYCHAIN_SERVICE): Promise<SecretStore> {
  let keytar: Keytar;
  try {
    const mod = (await import('keytar')) as unknown as { default?: Keytar } & Keytar;
    keytar = mod.default ?? mod;
  } catch (err) {
    throw unavailable(err);
  }
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw unavailable(err);
    }
  };
  return {
    get: (account) => call(() => keytar.getPassword(service, account)),
    set: (account, password) => call(() => keytar.setPassword(service, account, password)),
    delete: (account) => call(() => keytar.deletePassword(service, account)),
  };
}

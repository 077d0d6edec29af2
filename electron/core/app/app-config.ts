// The desktop app's view of the shared configuration file: read it fresh, change it, save it
// atomically (with .bak). Keeps account renames consistent with the profiles that use them.
import { existsSync } from 'node:fs';
import { emptyConfig, type Account, type Config, type Profile } from '../../shared/config-schema.ts';
import { AppError } from '../errors.ts';
import { loadConfig, saveConfig } from '../config/config-file.ts';

export class AppConfig {
  /** onSaved: told after every successful save (the schedule and the feed follow the change at once). */
  constructor(readonly file: string, private readonly onSaved?: () => void) {}

  async read(): Promise<Config> {
    return existsSync(this.file) ? loadConfig(this.file) : emptyConfig();
  }

  /** Applies fn to a fresh copy and saves it; the file is untouched if fn or validation throws. */
  async update<T>(fn: (cfg: Config) => T): Promise<T> {
    const cfg = await this.read();
    const out = fn(cfg);
    await saveConfig(this.file, cfg);
    this.onSaved?.();
    return out;
  }

  async account(name: string): Promise<Account> {
    const a = (await this.read()).accounts[name];
    if (!a) throw new AppError('CONFIG', `There is no account named "${name}".`, { account: name });
    return a;
  }

  async saveAccount(name: string, account: Account, previousName?: string): Promise<{ before?: Account }> {
    return this.update((cfg) => {
      const before = previousName === undefined ? undefined : cfg.accounts[previousName];
      if (previousName === undefined && cfg.accounts[name]) throw new AppError('CONFIG', `An account named "${name}" already exists.`, { account: name });
      if (previousName !== undefined && !before) throw new AppError('CONFIG', `There is no account named "${previousName}".`, { account: previousName });
      if (previousName !== undefined && previousName !== name && cfg.accounts[name]) throw new AppError('CONFIG', `An account named "${name}" already exists.`, { account: name });
      if (previousName !== undefined && previousName !== name) {
        delete cfg.accounts[previousName];
        for (const p of Object.values(cfg.profiles)) if (p.account === previousName) p.account = name;
      }
      cfg.accounts[name] = account;
      return { before };
    });
  }

  async removeAccount(name: string): Promise<Account> {
    return this.update((cfg) => {
      const a = cfg.accounts[name];
      if (!a) throw new AppError('CONFIG', `There is no account named "${name}".`, { account: name });
      const users = Object.entries(cfg.profiles).filter(([, p]) => p.account === name).map(([n]) => n);
      if (users.length) throw new AppError('CONFIG', `The account "${name}" is used by the profile${users.length > 1 ? 's' : ''} ${users.map((u) => `"${u}"`).join(', ')}; remove or change ${users.length > 1 ? 'them' : 'it'} first.`, { account: name });
      delete cfg.accounts[name];
      return a;
    });
  }

  async saveProfile(name: string, profile: Profile, previousName?: string): Promise<void> {
    await this.update((cfg) => {
      if (previousName === undefined && cfg.profiles[name]) throw new AppError('CONFIG', `A profile named "${name}" already exists.`, { profile: name });
      if (previousName !== undefined && !cfg.profiles[previousName]) throw new AppError('CONFIG', `There is no profile named "${previousName}".`, { profile: previousName });
      if (previousName !== undefined && previousName !== name) {
        if (cfg.profiles[name]) throw new AppError('CONFIG', `A profile named "${name}" already exists.`, { profile: name });
        delete cfg.profiles[previousName];
      }
      cfg.profiles[name] = profile;
    });
  }

  async removeProfile(name: string): Promise<void> {
    await this.update((cfg) => {
      if (!cfg.profiles[name]) throw new AppError('CONFIG', `There is no profile named "${name}".`, { profile: name });
      delete cfg.profiles[name];
    });
  }
}

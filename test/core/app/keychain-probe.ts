// Run by app-keychain.test.ts, inside a private keyring session or outside any: drives the app
// service's password channels against the real OS keychain (keytar → Secret Service) and prints JSON.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppService } from '../../../electron/core/app/app-service.ts';
import { keytarStore } from '../../../electron/core/secrets/secret-store.ts';
import { credentialKey } from '../../../electron/core/secrets/credential-key.ts';
import { scriptedDialogs } from '../../helpers/scripted-dialogs.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'keychain-probe-'));
const service = new AppService({
  configFile: path.join(dir, 'config.json'), version: 'probe', openSecrets: () => keytarStore(),
  dialogs: scriptedDialogs().dialogs, showItemInFolder: () => {}, emitProgress: () => {},
});
const step = async <T>(fn: () => Promise<T>) => fn().then((value) => ({ value }), (e) => ({ error: (e as { code?: string }).code, message: (e as Error).message }));
await service.saveAccount({ name: 'work', account: { host: 'imap.example.com', username: 'alice', security: 'tls' } });
const out = {
  info: await service.appInfo(),
  set: await step(() => service.setPassword({ name: 'work', password: 'pw-from-probe' })),
  afterSet: await step(() => service.listAccounts()),
  direct: await step(async () => (await keytarStore()).get(credentialKey({ host: 'imap.example.com', username: 'alice', security: 'tls' }))),
  delete: await step(() => service.deletePassword({ name: 'work' })),
  afterDelete: await step(() => service.listAccounts()),
};
process.stdout.write(JSON.stringify(out) + '\n');

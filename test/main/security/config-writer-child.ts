// Run by config-races.test.ts as "another process": adds one account to the configuration file the
// way any mailbox2ics process does (read, change, validated atomic save), then exits.
import { updateConfigFile } from '../../../electron/core/config/config-update.ts';

const [file, name] = process.argv.slice(2);
await updateConfigFile(file, (cfg) => {
  cfg.accounts[name] = { host: `${name}.example.com`, username: 'other', security: 'tls' };
});

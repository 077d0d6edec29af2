// Run inside a keyring session by cli.test.ts: stores the password in the real keychain, then runs
// the CLI with no other password source, so the keychain is the only way it can log in.
import { keytarStore } from '../../electron/core/secrets/secret-store.ts';
import { runCli } from '../../electron/cli/main.ts';

const [account, ...argv] = process.argv.slice(2);
const store = await keytarStore();
await store.set(account, process.env.PROBE_SECRET ?? '');
const env = { ...process.env };
delete env.PROBE_SECRET;
delete env.MAILBOX2ICS_PASSWORD;
const code = await runCli(argv, { env });
process.stderr.write(`\nEXIT ${code}\n`);
process.exitCode = code;

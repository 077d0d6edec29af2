// Run inside a keyring session by keychain.test.ts: exercises the real SecretStore and prints JSON.
import { keytarStore } from '../../../electron/core/secrets/secret-store.ts';

const store = await keytarStore('mailbox2ics-test');
const before = await store.get('alice@imap.example.com');
await store.set('alice@imap.example.com', 'pä$$ word');
const after = await store.get('alice@imap.example.com');
const deleted = await store.delete('alice@imap.example.com');
const gone = await store.get('alice@imap.example.com');
const deletedAgain = await store.delete('alice@imap.example.com');
process.stdout.write(JSON.stringify({ before, after, deleted, gone, deletedAgain }));

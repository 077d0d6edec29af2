// The CLI against the scripted hostile IMAP server (item 13 of issue 12): a server that never finishes
// a command ends the run with exit 3 and a message naming the server and what it was doing, within
// --command-timeout; the previous output file is left exactly as it was.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../helpers/certs.ts';
import { startHostileImapServer, type HostileServer } from '../helpers/hostile-imap-server.ts';
import { singlePartInvite } from '../helpers/hostile-mail.ts';
import { cliRunner } from '../helpers/run-cli.ts';

let dir: string;
let pki: TestPki;
let server: HostileServer;
const cli = cliRunner(() => dir);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hostile-cli-'));
  pki = makeTestPki(path.join(dir, 'pki'));
  server = await startHostileImapServer({
    folders: { Events: [1, 2].map((uid) => ({ uid, raw: singlePartInvite(`c${uid}`) })), Stuck: [{ uid: 1, raw: singlePartInvite('s1') }] },
    tls: { key: readFileSync(pki.keyFile), cert: readFileSync(pki.certFile) },
    script: { flood: (c) => c.name === 'EXAMINE' && c.args.includes('Stuck') },
  });
});
afterAll(async () => {
  await server?.stop();
});

const common = () => ['--port', String(server.port), '--ca-file', pki.caFile, '--no-cache', server.host, server.user];

describe('CLI against a server that never finishes a command', () => {
  it('exits 3 with SERVER_TIMEOUT wording; the old output stays', async () => {
    const out = path.join(dir, 'out.ics');
    const ok = await cli(['-o', out, ...common(), 'Events'], { MAILBOX2ICS_PASSWORD: server.password });
    expect(ok.code, ok.stderr).toBe(0);
    const before = readFileSync(out);
    const r = await cli(['-o', out, '--command-timeout', '2s', ...common(), 'Events', 'Stuck'], { MAILBOX2ICS_PASSWORD: server.password });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`127.0.0.1:${server.port} did not finish opening folder "Stuck" within 2 s (it kept the command open without completing it). Nothing was written.`);
    expect(readFileSync(out).equals(before)).toBe(true);
  }, 60_000);

  it('--command-timeout and --run-timeout are checked before connecting', async () => {
    const r = await cli(['--command-timeout', 'soon', ...common(), 'Events']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--command-timeout "soon" is not a duration (examples: 90s, 10m, 1h)');
  });
});

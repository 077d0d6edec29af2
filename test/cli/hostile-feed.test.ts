// Issue 12 items 1–5 end to end: a folder mixing four good invitations with every hostile case goes
// through the real CLI over --maildir and over IMAP (the Dovecot harness, with and without the cache);
// the run ends with exit 0, the good events are unchanged, each bad item is reported with folder, UID,
// part and reason, nothing is forged, and the real calendar clients accept the feed with zero errors.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { cliRunner, type CliResult } from '../helpers/run-cli.ts';
import { CLIENTS, runClient, topLevelBlocks } from '../helpers/calendar-clients.ts';
import { GOOD_UIDS, goodInvitations, hostileCases, hostileTodo } from '../helpers/hostile-mails.ts';

const SAMPLE = path.resolve(import.meta.dirname, '../../resources/sample-mailbox');
const cases = [...hostileCases(), hostileTodo()];

let server: DovecotServer;
let dir: string;
const cli = cliRunner(() => dir);

interface Run { r: CliResult; ics: string; report: { skipped: Array<Record<string, unknown>>; warnings: Array<Record<string, unknown>>; folders: Array<{ syncMode?: string }> } }
const runs: Record<string, Run> = {};

function maildir(name: string, mails: Buffer[]): string {
  const root = path.join(dir, name);
  for (const s of ['cur', 'new', 'tmp']) mkdirSync(path.join(root, s), { recursive: true });
  mails.forEach((m, i) => writeFileSync(path.join(root, 'cur', `${String(1_000_000 + i)}.M${i}P1.test:2,S`), m));
  return root;
}

async function run(name: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const out = path.join(dir, `${name}.ics`);
  const rep = path.join(dir, `${name}.json`);
  const r = await cli(['--include', 'VTODO', '-o', out, '--report-json', rep, ...args], env);
  expect(r.code, `${name}: ${r.stderr.slice(-2000)}`).toBe(0);
  return { r, ics: readFileSync(out, 'utf8'), report: JSON.parse(readFileSync(rep, 'utf8')) };
}

function blocksByUid(ics: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of topLevelBlocks(ics)) if (b.kind !== 'VTIMEZONE') out.set(/^UID:(.*)$/m.exec(b.own.join('\n'))![1], b.text);
  return out;
}

beforeAll(async () => {
  server = await startDovecot();
  dir = mkdtempSync(path.join(tmpdir(), 'hostile-cli-'));
  const mixed = [...goodInvitations(), ...cases.map((c) => c.mail)];
  server.addMessages('Hostile', mixed.map((raw) => ({ raw })));
  server.addMessages('Good', goodInvitations().map((raw) => ({ raw })));
  const imap = (folder: string) => ['--port', String(server.imapsPort), '--ca-file', server.pki.caFile, server.host, server.user, folder];
  const pw = { MAILBOX2ICS_PASSWORD: server.password };
  runs.goodLocal = await run('good-local', ['--maildir', maildir('good', goodInvitations())]);
  runs.local = await run('local', ['--maildir', maildir('mixed', mixed)]);
  runs.goodImap = await run('good-imap', ['--no-cache', ...imap('Good')], pw);
  runs.imap = await run('imap', ['--no-cache', ...imap('Hostile')], pw);
  // With the cache: the batch holding the hostile mails is committed like any other, so the next
  // run finds the folder unchanged and gives the same feed and report.
  runs.cached = await run('cached', ['--cache-dir', path.join(dir, 'cache'), ...imap('Hostile')], pw);
  runs.cachedAgain = await run('cached-again', ['--cache-dir', path.join(dir, 'cache'), '-v', ...imap('Hostile')], pw);
  runs.sample = await run('sample', ['--maildir', SAMPLE]);
}, 300_000);
afterAll(async () => {
  await server?.stop();
});

describe('a folder of good and hostile invitations through the CLI', () => {
  it('every run finishes with exit 0 (asserted in each run); the IMAP feeds agree with the local one', () => {
    // Dovecot serves the NUL of the control-character case as 0x80 (IMAP cannot carry NUL): only that
    // value differs between the paths.
    const sameBut = (ics: string) => ics.replace(/^DESCRIPTION:a.?bcde\r$/m, 'DESCRIPTION:(control case)');
    expect(sameBut(runs.imap.ics)).toBe(sameBut(runs.local.ics));
    expect(runs.cached.ics).toBe(runs.imap.ics);
    expect(runs.cachedAgain.ics).toBe(runs.imap.ics);
    // The first cached run committed every batch, the hostile one included: nothing left to fetch.
    expect(runs.cachedAgain.report.folders[0].syncMode).toBe('unchanged');
    expect(runs.imap.ics).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
  });

  it('every good event comes out exactly as from the good mails alone', () => {
    for (const [mixed, good] of [[runs.local, runs.goodLocal], [runs.imap, runs.goodImap]]) {
      const g = blocksByUid(good.ics);
      const m = blocksByUid(mixed.ics);
      expect([...g.keys()].sort()).toEqual(GOOD_UIDS);
      for (const uid of GOOD_UIDS) expect(m.get(uid), uid).toBe(g.get(uid));
    }
  });

  it('no forged UID appears', () => {
    const uids = [...blocksByUid(runs.local.ics).keys()];
    for (const c of cases) for (const f of c.forged ?? []) expect(uids).not.toContain(f);
    expect(runs.local.ics).not.toContain('PWNED');
  });

  for (const [label, key, folder] of [['--maildir', 'local', 'INBOX'], ['IMAP', 'imap', 'Hostile'], ['IMAP with the cache, second run', 'cachedAgain', 'Hostile']] as const) {
    it(`${label}: each bad item is in the report with folder, UID, part and reason`, () => {
      const { report } = runs[key];
      cases.forEach((c, i) => {
        const uid = GOOD_UIDS.length + i + 1;
        const text = (x: Record<string, unknown>) => String(x[c.outcome === 'skipped' ? 'reason' : 'message']);
        const list = (c.outcome === 'skipped' ? report.skipped : report.warnings).filter((x) => x.subject === c.name && c.says.test(text(x)));
        expect(list, `${c.name}: ${JSON.stringify([...report.skipped, ...report.warnings].filter((x) => x.subject === c.name))}`).toHaveLength(1);
        expect(list[0]).toMatchObject({ folder, uid, section: '1' });
        if (c.outcome === 'skipped') expect(text(list[0])).toContain(c.uid);
      });
      expect(report.skipped).toHaveLength(cases.filter((c) => c.outcome === 'skipped').length);
    });
  }
});

describe('real calendar clients accept the feeds with zero errors', () => {
  for (const feed of ['local', 'imap', 'sample'] as const) {
    for (const client of CLIENTS) {
      it(`${client} over the ${feed === 'sample' ? 'sample mailbox (npm run demo)' : `good + hostile folder (${feed === 'local' ? '--maildir' : 'IMAP'})`}`, async (ctx) => {
        const out = await runClient(client, runs[feed].ics);
        if ('absent' in out) {
          process.stderr.write(`SKIPPED ${client}: ${out.absent}\n`);
          ctx.skip();
          return;
        }
        // calcurse 4.7 segfaults on a VEVENT without SUMMARY (valid iCalendar): the helper leaves only
        // those out of the calcurse check and says so in the note.
        expect(out.errors).toEqual([]);
      }, 120_000);
    }
  }
});

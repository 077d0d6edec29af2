// Runs real calendar programs (Debian's khal, calcurse, python3-icalendar, python3-vobject, Radicale,
// and ical.js in-process) over an .ics feed and returns what each one complained about. Test-only:
// every client gets a throwaway config and data dir in a temp folder; nothing on the machine is touched.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';

export const CLIENTS = ['khal', 'calcurse', 'python-icalendar', 'vobject', 'ical.js', 'radicale'] as const;
export type ClientName = (typeof CLIENTS)[number];

/** What one client said: its errors (empty: it took every item), or why it could not run here. */
export type ClientOutcome = { errors: string[]; note?: string } | { absent: string };

// Debian's python3 packages live in the system interpreter; a pyenv or venv python3 on PATH lacks them.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const PY_CHECK = path.resolve(import.meta.dirname, 'python-calendar-check.py');

function runs(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
  return r.status === 0;
}

/** Why a client cannot run on this machine, or undefined when it can. */
export function clientAbsent(name: ClientName): string | undefined {
  const apt = 'install it with: apt-get install khal calcurse python3-icalendar python3-vobject radicale (.ci/run does)';
  switch (name) {
    case 'khal': return runs('khal', ['--version']) ? undefined : `khal is not installed; ${apt}`;
    case 'calcurse': return runs('calcurse', ['--version']) ? undefined : `calcurse is not installed; ${apt}`;
    case 'python-icalendar': return runs(PYTHON, ['-c', 'import icalendar']) ? undefined : `python3-icalendar is not installed; ${apt}`;
    case 'vobject': return runs(PYTHON, ['-c', 'import vobject']) ? undefined : `python3-vobject is not installed; ${apt}`;
    case 'radicale': return runs('radicale', ['--version']) ? undefined : `radicale is not installed; ${apt}`;
    case 'ical.js': return undefined;
  }
}

interface Block {
  kind: string;
  text: string;
  /** Unfolded lines of the block's own level (not its sub-components). */
  own: string[];
  /** Unfolded lines of the whole block. */
  all: string[];
}

/** The top-level components of a VCALENDAR text, found by line (no parser: the clients are the judges). */
export function topLevelBlocks(ics: string): Block[] {
  const raw = ics.split(/\r\n/);
  const blocks: Block[] = [];
  let depth = 0;
  let cur: { kind: string; lines: string[] } | undefined;
  for (const line of raw) {
    const begin = /^BEGIN:(.+)$/i.exec(line);
    const end = /^END:(.+)$/i.exec(line);
    if (begin) depth += 1;
    if (depth === 2 && begin) cur = { kind: begin[1].toUpperCase(), lines: [] };
    if (cur) cur.lines.push(line);
    if (end) {
      if (depth === 2 && cur) {
        const text = cur.lines.join('\r\n');
        const all = text.replace(/\r\n[ \t]/g, '').split('\r\n');
        const own: string[] = [];
        let d = 0;
        for (const l of all) {
          if (/^BEGIN:/i.test(l)) d += 1;
          if (d === 1 && !/^(BEGIN|END):/i.test(l)) own.push(l);
          if (/^END:/i.test(l)) d -= 1;
        }
        blocks.push({ kind: cur.kind, text, own, all });
        cur = undefined;
      }
      depth -= 1;
    }
  }
  return blocks;
}

function propValue(lines: string[], name: string): string | undefined {
  const re = new RegExp(`^${name}[;:]`, 'i');
  const l = lines.find((x) => re.test(x));
  if (!l) return undefined;
  return l.slice(l.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/) + 1);
}

function tzidsOf(lines: string[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) for (const m of l.matchAll(/;TZID=("[^"]*"|[^;:]*)/gi)) out.add(m[1].replace(/^"|"$/g, ''));
  return out;
}

const wrap = (texts: string[]) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//mailbox2ics tests//calendar clients//EN\r\n${texts.map((t) => `${t}\r\n`).join('')}END:VCALENDAR\r\n`;

/** One VCALENDAR per UID, with the VTIMEZONEs its components reference (what a CalDAV client PUTs). */
export function splitByUid(ics: string): Map<string, string> {
  const blocks = topLevelBlocks(ics);
  const zones = new Map<string, string>();
  for (const b of blocks) if (b.kind === 'VTIMEZONE') zones.set(propValue(b.own, 'TZID') ?? '', b.text);
  const byUid = new Map<string, Block[]>();
  for (const b of blocks) {
    if (b.kind === 'VTIMEZONE') continue;
    const uid = propValue(b.own, 'UID') ?? '';
    byUid.set(uid, [...(byUid.get(uid) ?? []), b]);
  }
  const out = new Map<string, string>();
  for (const [uid, list] of byUid) {
    const tzids = new Set<string>();
    for (const b of list) for (const t of tzidsOf(b.all)) tzids.add(t);
    const needed = [...tzids].sort().map((t) => zones.get(t)).filter((t): t is string => t !== undefined);
    out.set(uid, wrap([...needed, ...list.map((b) => b.text)]));
  }
  return out;
}

function exec(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, maxBuffer: 64 << 20, timeout: 300_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? null) : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function khal(file: string, ics: string, work: string): Promise<string[]> {
  const vdir = path.join(work, 'vdir', 'cal');
  mkdirSync(vdir, { recursive: true });
  const conf = path.join(work, 'khal.conf');
  writeFileSync(conf, [
    '[calendars]', '[[cal]]', `path = ${vdir}`, 'type = calendar',
    '[locale]', 'timeformat = %H:%M', 'dateformat = %Y-%m-%d', 'longdateformat = %Y-%m-%d',
    'datetimeformat = %Y-%m-%d %H:%M', 'longdatetimeformat = %Y-%m-%d %H:%M', 'local_timezone = UTC', 'default_timezone = UTC',
    '[sqlite]', `path = ${path.join(work, 'khal.db')}`, '',
  ].join('\n'));
  const r = await exec('khal', ['-c', conf, 'import', '--batch', '-a', 'cal', file], { HOME: work, TZ: 'UTC' });
  const errors: string[] = [];
  if (r.code !== 0) errors.push(`khal exited with ${r.code}`);
  const said = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /error|warning|traceback|exception/i.test(l));
  if (said.length) errors.push(...said.slice(-5));
  // khal stores one file per UID of VEVENTs (a series with its overrides is one file).
  const uids = new Set(topLevelBlocks(ics).filter((b) => b.kind === 'VEVENT').map((b) => propValue(b.own, 'UID')));
  const stored = readdirSync(vdir).filter((f) => f.endsWith('.ics')).length;
  if (stored !== uids.size) errors.push(`khal stored ${stored} events of ${uids.size} UIDs`);
  return errors;
}

async function calcurse(ics: string, work: string): Promise<{ errors: string[]; note?: string }> {
  // calcurse 4.7 segfaults on a VEVENT without SUMMARY, which is valid iCalendar: only those are left out.
  const blocks = topLevelBlocks(ics);
  const kept = blocks.filter((b) => b.kind !== 'VEVENT' || b.own.some((l) => /^SUMMARY[;:]/i.test(l)));
  const leftOut = blocks.length - kept.length;
  const file = path.join(work, 'calcurse.ics');
  writeFileSync(file, wrap(kept.map((b) => b.text)));
  const dir = path.join(work, 'calcurse');
  mkdirSync(dir);
  const r = await exec('calcurse', ['-D', dir, '-i', file], { HOME: work, TMPDIR: work, TZ: 'UTC' });
  const errors: string[] = [];
  if (r.code !== 0) errors.push(`calcurse exited with ${r.code}${r.code === null ? ' (killed by a signal)' : ''}`);
  const skipped = /(\d+) skipped/.exec(r.stdout);
  if (!skipped) errors.push(`calcurse printed no import report: ${r.stdout.slice(-300)}${r.stderr.slice(-300)}`);
  else if (Number(skipped[1]) > 0) errors.push(`calcurse skipped ${Number(skipped[1])} items`);
  const log = /See (\S+) for details/.exec(r.stdout + r.stderr)?.[1];
  if (log && existsSync(log)) errors.push(readFileSync(log, 'utf8').trim().slice(0, 2000));
  return { errors, ...(leftOut ? { note: `${leftOut} VEVENT(s) without SUMMARY left out of the calcurse check (calcurse 4.7 segfaults on them)` } : {}) };
}

async function python(lib: 'icalendar' | 'vobject', file: string): Promise<string[]> {
  const r = await exec(PYTHON, [PY_CHECK, lib, file], { TZ: 'UTC' });
  if (r.code !== 0) return [`python3 ${lib} check exited with ${r.code}: ${r.stderr.slice(-1000)}`];
  return JSON.parse(r.stdout) as string[];
}

/** ical.js as a calendar app uses it: parse, register the zones, read every value, walk each series a little. */
function icaljs(ics: string): string[] {
  const errors: string[] = [];
  let cal: ICAL.Component;
  try {
    cal = new ICAL.Component(ICAL.parse(ics) as never);
  } catch (err) {
    return [`parse: ${(err as Error).message}`];
  }
  const registered: string[] = [];
  try {
    for (const vtz of cal.getAllSubcomponents('vtimezone')) {
      const tzid = String(vtz.getFirstPropertyValue('tzid'));
      ICAL.TimezoneService.register(new ICAL.Timezone(vtz), tzid);
      registered.push(tzid);
    }
    const walk = (c: ICAL.Component) => {
      for (const p of c.getAllProperties()) {
        try {
          p.getValues().map((v) => String(v));
        } catch (err) {
          errors.push(`${c.name} ${p.name}: ${(err as Error).message}`);
        }
      }
      c.getAllSubcomponents().forEach(walk);
    };
    walk(cal);
    for (const comp of cal.getAllSubcomponents('vevent')) {
      const uid = String(comp.getFirstPropertyValue('uid'));
      try {
        const ev = new ICAL.Event(comp);
        ev.startDate.toJSDate();
        ev.endDate.toJSDate();
        if (ev.isRecurring() && !comp.hasProperty('recurrence-id')) {
          const it = ev.iterator();
          for (let i = 0, next = it.next(); next && i < 100; i++, next = it.next()) ev.getOccurrenceDetails(next);
        }
      } catch (err) {
        errors.push(`VEVENT ${uid}: ${(err as Error).message}`);
      }
    }
  } finally {
    for (const t of registered) ICAL.TimezoneService.remove(t);
  }
  return errors;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function request(port: number, method: string, urlPath: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, auth: 'user:x', headers: body !== undefined ? { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Length': Buffer.byteLength(body) } : {} }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Radicale as a CalDAV server: MKCALENDAR, then one PUT per UID; every PUT must be taken (201/204). */
async function radicale(ics: string, work: string): Promise<string[]> {
  const port = await freePort();
  const store = path.join(work, 'radicale');
  const conf = path.join(work, 'radicale.conf');
  writeFileSync(conf, ['[server]', `hosts = 127.0.0.1:${port}`, '[auth]', 'type = none', '[rights]', 'type = authenticated',
    '[storage]', `filesystem_folder = ${store}`, '[web]', 'type = none', '[logging]', 'level = warning', ''].join('\n'));
  const log: string[] = [];
  const child = spawn('radicale', ['--config', conf, '--storage-filesystem-folder', store, '--server-hosts', `127.0.0.1:${port}`, '--auth-type', 'none'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr.on('data', (d: Buffer) => log.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errors: string[] = [];
  try {
    let made: { status: number; body: string } | undefined;
    // Readiness: poll until the server answers (it starts in about a second; the bound is generous).
    for (let i = 0; i < 300 && !made; i++) {
      if (child.exitCode !== null) throw new Error(`radicale exited at start: ${log.join('')}`);
      made = await request(port, 'MKCALENDAR', '/user/cal/').catch(() => undefined);
      if (!made) await new Promise((r) => setTimeout(r, 100));
    }
    if (!made || made.status !== 201) return [`MKCALENDAR answered ${made?.status}: ${made?.body}`];
    for (const [uid, text] of splitByUid(ics)) {
      const name = /^[A-Za-z0-9@._-]+$/.test(uid) ? uid : createHash('sha1').update(uid).digest('hex');
      const r = await request(port, 'PUT', `/user/cal/${encodeURIComponent(name)}.ics`, text);
      if (r.status !== 201 && r.status !== 204) errors.push(`PUT ${uid}: ${r.status} ${r.body.trim()}`);
    }
    if (errors.length) errors.push(...log.join('').split('\n').filter((l) => /WARNING|ERROR/.test(l)).slice(-10));
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return errors;
}

/** Runs one client over the feed. */
export async function runClient(name: ClientName, ics: string): Promise<ClientOutcome> {
  const absent = clientAbsent(name);
  if (absent) return { absent };
  const work = mkdtempSync(path.join(tmpdir(), `client-${name.replace(/\W/g, '')}-`));
  try {
    const file = path.join(work, 'feed.ics');
    writeFileSync(file, ics);
    switch (name) {
      case 'khal': return { errors: await khal(file, ics, work) };
      case 'calcurse': return await calcurse(ics, work);
      case 'python-icalendar': return { errors: await python('icalendar', file) };
      case 'vobject': return { errors: await python('vobject', file) };
      case 'ical.js': return { errors: icaljs(ics) };
      case 'radicale': return { errors: await radicale(ics, work) };
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// The local feed against nginx (Debian nginx-light, own config, loopback, one worker as Node has one
// thread) serving the same 1.8 MB file: requests/s with `ab` for a conditional GET (304) and a full GET.
// Prints one JSON line per row; run by bench-all.ts (npm run bench). Never touches a system nginx.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { newFeedToken } from '../../electron/core/feed/feed-server.ts';
import { bundleBenchChildren } from './bench-bundle.ts';

const run = promisify(execFile);
const CONCURRENCY = 8;
/** Conditional GETs per ab run: at tens of thousands per second, 5,000 measured a tenth of a second,
 * much of it our server's code still being compiled (nginx's is compiled C). */
const N304 = Number(process.env.BENCH_FEED_N ?? 30_000);

function calendar(bytes: number): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bench//feed//EN'];
  for (let i = 0; lines.join('\r\n').length < bytes; i++) {
    lines.push('BEGIN:VEVENT', `UID:ev-${i}@bench`, 'DTSTAMP:20260101T000000Z', 'DTSTART:20260301T100000Z', 'DTEND:20260301T110000Z', `SUMMARY:Meeting ${i}`, `DESCRIPTION:${'Agenda item. '.repeat(20)}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Requests per second ab measured (keep-alive, CONCURRENCY at once); fails on any non-2xx/304 answer. */
async function ab(url: string, n: number, headers: string[] = [], expectBytes?: number): Promise<number> {
  const args = ['-q', ...(process.env.BENCH_NO_KEEPALIVE ? [] : ['-k']), '-n', String(n), '-c', String(CONCURRENCY), ...headers.flatMap((h) => ['-H', h]), url];
  const { stdout } = await run('ab', args, { maxBuffer: 1 << 24 });
  const failed = Number(/Failed requests:\s+(\d+)/.exec(stdout)?.[1] ?? 'NaN');
  const non2xx = Number(/Non-2xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? '0');
  const rps = Number(/Requests per second:\s+([\d.]+)/.exec(stdout)?.[1]);
  // ab counts 304 as non-2xx: a conditional run must have only those, a full one none.
  const length = Number(/Document Length:\s+(\d+)/.exec(stdout)?.[1]);
  if (failed !== 0 || non2xx !== (expectBytes === undefined ? n : 0) || (expectBytes !== undefined && length !== expectBytes)) {
    throw new Error(`ab: ${failed} failed, ${non2xx} non-2xx, ${length} bytes for ${url}:\n${stdout}`);
  }
  return rps;
}

async function etagOf(url: string): Promise<string> {
  const r = await fetch(url);
  await r.arrayBuffer();
  return r.headers.get('etag')!;
}

export async function benchFeed(rounds = 3): Promise<Array<{ row: string; value: number; floor: number }>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'm2i-feed-bench-'));
  const file = path.join(dir, 'www', 'team.ics');
  mkdirSync(path.dirname(file));
  const body = calendar(1_800_000);
  writeFileSync(file, body);
  // nginx's worker runs as nobody when started as root: the temp folder (0700) must let it in.
  chmodSync(dir, 0o755);
  // Our server runs bundled in a process of its own, as nginx does (in this process, through tsx,
  // it shared the thread with the bench and ran the sources as compiled at run time).
  const bundled = await bundleBenchChildren();
  const feed = spawn(process.execPath, [bundled('feed-child.ts'), file, newFeedToken()], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ours = await new Promise<string>((resolve, reject) => {
    let out = '';
    feed.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    feed.once('exit', (code) => reject(new Error(`the feed server stopped (exit ${code})`)));
  });
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, [
    'daemon off;', 'worker_processes 1;', `pid ${dir}/nginx.pid;`, `error_log ${dir}/error.log;`,
    'events { worker_connections 256; }',
    'http {', '  access_log off;', `  client_body_temp_path ${dir}/tmp;`, `  proxy_temp_path ${dir}/tmp;`, `  fastcgi_temp_path ${dir}/tmp;`, `  uwsgi_temp_path ${dir}/tmp;`, `  scgi_temp_path ${dir}/tmp;`,
    '  types { text/calendar ics; }', '  sendfile on;', '  keepalive_requests 1000;',
    `  server { listen 127.0.0.1:${port}; root ${dir}/www; }`, '}', '',
  ].join('\n'));
  const nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', conf], { stdio: 'ignore' });
  try {
    const nginxUrl = `http://127.0.0.1:${port}/team.ics`;
    for (let i = 0; i < 100; i++) {
      try {
        await etagOf(nginxUrl);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const tags = { ours: await etagOf(ours), nginx: await etagOf(nginxUrl) };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const r = { c304: [] as number[], n304: [] as number[], cFull: [] as number[], nFull: [] as number[] };
    // One untimed round each (a feed server runs for days; neither is measured cold), then interleaved
    // rounds: both servers see the same machine load.
    await ab(ours, 5_000, [`If-None-Match: ${tags.ours}`]);
    await ab(nginxUrl, 5_000, [`If-None-Match: ${tags.nginx}`]);
    for (let i = 0; i < rounds; i++) {
      r.c304.push(await ab(ours, N304, [`If-None-Match: ${tags.ours}`]));
      r.n304.push(await ab(nginxUrl, N304, [`If-None-Match: ${tags.nginx}`]));
      r.cFull.push(await ab(ours, 400, [], Buffer.byteLength(body)));
      r.nFull.push(await ab(nginxUrl, 400, [], Buffer.byteLength(body)));
    }
    return [
      { row: 'local feed, conditional GET (304), requests/s', value: median(r.c304), floor: median(r.n304) },
      { row: 'local feed, full GET (1.8 MB), requests/s', value: median(r.cFull), floor: median(r.nFull) },
    ];
  } finally {
    nginx.kill('SIGTERM');
    feed.stdin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  for (const row of await benchFeed(Number(process.env.BENCH_ROUNDS ?? 3))) console.log(JSON.stringify(row));
}

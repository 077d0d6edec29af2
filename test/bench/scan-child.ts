// Bench worker: runs one full IMAP scan in its own process so peak RSS is the scan's alone.
// Prints a JSON line; never writes the feed anywhere but /dev/null-like memory.
import { syncFromImap } from '../../electron/core/sync/run-sync.ts';

const [host, port, user, caFile, folder] = process.argv.slice(2);
const started = performance.now();
const { report, ics } = await syncFromImap({
  connect: { host, port: Number(port), security: 'tls', username: user, password: process.env.MAILBOX2ICS_PASSWORD ?? '', caFile },
  folders: [folder],
  include: new Set(['VEVENT']),
  cancelled: 'remove',
  maxPartBytes: 10 << 20,
});
const wallMs = performance.now() - started;
process.stdout.write(JSON.stringify({
  wallMs,
  messages: report.messages,
  eventsOut: report.eventsOut,
  clientBytes: report.bytesDownloaded,
  skipped: report.skipped.length,
  icsBytes: Buffer.byteLength(ics),
  maxRssKb: process.resourceUsage().maxRSS,
}) + '\n');

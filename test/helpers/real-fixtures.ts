// The real-world iCalendar and mail files in test/fixtures/real/ (copied byte for byte, with their
// sources and licences in its README and LICENSES/), listed and wrapped as mails. Never modified.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildMail } from './mail-builder.ts';

export const REAL_DIR = path.resolve(import.meta.dirname, '../fixtures/real');

export function realFixtures(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(REAL_DIR).sort()) {
    const full = path.join(REAL_DIR, dir);
    if (!existsSync(full) || dir.endsWith('.md') || dir === 'LICENSES') continue;
    for (const f of readdirSync(full).sort()) out.push(`${dir}/${f}`);
  }
  return out;
}

/** The fixture as a mail: .ics files are wrapped as a text/calendar attachment, mails are used as they are. */
export function fixtureAsMail(rel: string): Buffer {
  const raw = readFileSync(path.join(REAL_DIR, rel));
  if (/\.(eml|txt)$/.test(rel)) return raw;
  return buildMail({ subject: `Fixture ${rel}`, calendars: [{ ics: raw, filename: path.basename(rel), contentType: 'text/calendar', encoding: 'base64' }] });
}


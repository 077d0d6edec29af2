// Checks a calendar file the user picked before mailbox2ics writes there: the name ends in .ics,
// and a file already there is a calendar (it starts with BEGIN:VCALENDAR). Never writes anything.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';

/** Bytes read to recognise a calendar: "BEGIN:VCALENDAR" after an optional BOM and blank lines. */
const HEAD_BYTES = 256;

export async function checkChosenCalendar(file: string): Promise<void> {
  if (path.extname(file).toLowerCase() !== '.ics') {
    throw new AppError('REFUSED', `The calendar file must end in .ics: ${file}`, { file });
  }
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: a FIFO named x.ics must not hang the check.
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // a new file
    throw new AppError('REFUSED', `Cannot check ${file} before replacing it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file });
  }
  let head = '';
  let regular = false;
  try {
    regular = (await handle.stat()).isFile();
    if (regular) {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
      head = buf.subarray(0, bytesRead).toString('utf8');
    }
  } finally {
    await handle.close().catch(() => {});
  }
  // Every file mailbox2ics writes starts this way, so this also covers "a file we wrote".
  if (!regular || !/^\uFEFF?\s*BEGIN:VCALENDAR\r?\n/i.test(head)) {
    throw new AppError('REFUSED', `${file} already exists and is not a calendar file, so mailbox2ics will not replace it (it replaces only files that start with BEGIN:VCALENDAR). Choose another name.`, { file });
  }
}

// The files the window may have main read, write or show: those the user picked in a native dialog
// (handed to the window as tokens, see window-choices.ts) and the calendars mailbox2ics wrote.
import path from 'node:path';
import type { Response } from '../../shared/ipc-contract.ts';
import { AppError } from '../errors.ts';
import { readCaFile } from '../imap/ca-file.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { checkChosenCalendar } from './chosen-calendar.ts';
import type { NativeDialogs } from './native-dialogs.ts';
import { WindowChoices } from './window-choices.ts';

export class WindowFiles {
  readonly choices = new WindowChoices();
  /** Copies the window exported this session: they may be shown in their folder, like the profiles' outputs. */
  private readonly written = new Set<string>();

  constructor(
    private readonly dialogs: NativeDialogs,
    private readonly showItemInFolder: (file: string) => void,
  ) {}

  /** A calendar file to write, chosen in the save dialog: a token for it, or nothing if cancelled. */
  async chooseOutput(defaultPath: string): Promise<Response<'dialog:choose-output'>> {
    const chosen = await this.dialogs.chooseSavePath({ defaultPath });
    if (!chosen) return { chosen: false };
    const file = path.resolve(chosen);
    await checkChosenCalendar(file);
    return { chosen: true, token: this.choices.add('output', file), path: file };
  }

  async chooseCaFile(): Promise<Response<'dialog:choose-ca-file'>> {
    const chosen = await this.dialogs.chooseCaFile();
    if (!chosen) return { chosen: false };
    const file = path.resolve(chosen);
    await readCaFile(file); // a device, a FIFO, a huge or a non-PEM file is refused here, with the reason
    return { chosen: true, token: this.choices.add('ca-file', file), path: file };
  }

  /** A copy of a feed, written where the user chose in the save dialog (atomically). */
  async exportCopy(defaultPath: string, ics: string): Promise<Response<'export:save'>> {
    const chosen = await this.dialogs.chooseSavePath({ defaultPath });
    if (!chosen) return { saved: false };
    const file = path.resolve(chosen);
    await checkChosenCalendar(file);
    await writeFileAtomic(file, ics);
    this.written.add(file);
    return { saved: true, path: file };
  }

  /** Shows a file in its folder if it is one mailbox2ics wrote: an export of this session or one of `outputs`. */
  show(requested: string, outputs: readonly string[]): void {
    const file = path.resolve(requested);
    if (!this.written.has(file) && !outputs.includes(file)) throw new AppError('REFUSED', `${requested} is not a calendar file mailbox2ics wrote.`, { file: requested });
    this.showItemInFolder(file);
  }
}

// The native-dialog port as a test scripts it: what the "user" picks in the save and open dialogs and
// answers to confirmations, and a record of every dialog main showed (to assert who was asked what).
import type { ConfirmQuestion, NativeDialogs } from '../../electron/core/app/native-dialogs.ts';

export interface ScriptedDialogs {
  dialogs: NativeDialogs;
  /** The path the next save dialogs return (undefined: the user cancels). */
  savePath: string | undefined;
  /** The path the next open dialogs return (undefined: the user cancels). */
  caFile: string | undefined;
  /** The answer to confirmations. */
  confirmAnswer: boolean;
  /** Every confirmation shown, in order. */
  questions: ConfirmQuestion[];
  /** The default path of every save dialog shown. */
  saveDialogs: string[];
  openDialogs: number;
}

export function scriptedDialogs(init: Partial<Pick<ScriptedDialogs, 'savePath' | 'caFile' | 'confirmAnswer'>> = {}): ScriptedDialogs {
  const s: ScriptedDialogs = {
    savePath: init.savePath,
    caFile: init.caFile,
    confirmAnswer: init.confirmAnswer ?? false,
    questions: [],
    saveDialogs: [],
    openDialogs: 0,
    dialogs: {
      chooseSavePath: async ({ defaultPath }) => {
        s.saveDialogs.push(defaultPath);
        return s.savePath;
      },
      chooseCaFile: async () => {
        s.openDialogs++;
        return s.caFile;
      },
      confirm: async (q) => {
        s.questions.push(q);
        return s.confirmAnswer;
      },
    },
  };
  return s;
}

// Electron's side of the native-dialog port, with a stand-in for Electron's dialog module: modal to
// the window when there is one, cancel means undefined, and only the affirmative button confirms.
import { describe, expect, it } from 'vitest';
import { electronDialogs } from '../../electron/main/native-dialogs.ts';

function fakeDialog(answers: { save?: unknown; open?: unknown; box?: unknown }) {
  const calls: Array<[string, unknown[]]> = [];
  const dialog = {
    showSaveDialog: async (...a: unknown[]) => (calls.push(['save', a]), answers.save),
    showOpenDialog: async (...a: unknown[]) => (calls.push(['open', a]), answers.open),
    showMessageBox: async (...a: unknown[]) => (calls.push(['box', a]), answers.box),
  };
  return { dialog: dialog as never, calls };
}

const question = { title: 'T', message: 'Send it to evil.example:143?', detail: 'D', confirmLabel: 'Use it', cancelLabel: "Don't" };

describe('electronDialogs', () => {
  it('save and open: the chosen path, or undefined when cancelled; modal to a live window', async () => {
    const win = { isDestroyed: () => false };
    const f = fakeDialog({ save: { canceled: false, filePath: '/home/me/team.ics' }, open: { canceled: true, filePaths: [] } });
    const d = electronDialogs(f.dialog, () => win as never);
    expect(await d.chooseSavePath({ defaultPath: '/home/me/x.ics' })).toBe('/home/me/team.ics');
    expect(await d.chooseCaFile()).toBeUndefined();
    expect(f.calls[0][1][0]).toBe(win);
    expect(f.calls[0][1][1]).toMatchObject({ defaultPath: '/home/me/x.ics', filters: [{ extensions: ['ics'] }] });
    expect(f.calls[1][1][1]).toMatchObject({ properties: ['openFile'] });
  });

  it('confirm: declining is the default and the Escape answer; only the affirmative button says yes', async () => {
    for (const [response, yes] of [[0, false], [1, true]] as const) {
      const f = fakeDialog({ box: { response } });
      expect(await electronDialogs(f.dialog, () => undefined).confirm(question)).toBe(yes);
      const opts = f.calls[0][1][0] as { buttons: string[]; defaultId: number; cancelId: number; message: string };
      expect(opts).toMatchObject({ buttons: ["Don't", 'Use it'], defaultId: 0, cancelId: 0, message: question.message });
    }
  });
});

// @vitest-environment jsdom
// Profiles: the folder tree (namespaces as roots, \Noselect not checkable, filter, keyboard) and what
// is saved; the filters editor; problems returned by saveProfile listed in the form.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.tsx';
import { createFakeApi, fail } from './fake-api.ts';
import { addAccount, addProfile, FOLDERS } from './fixtures.ts';
import { setup } from './render-app.tsx';

afterEach(cleanup);

async function newProfile() {
  const fake = createFakeApi();
  addAccount(fake, 'work', { password: 'pw' });
  fake.state.folders.set('work', FOLDERS);
  const ctx = setup(<App />, fake);
  await ctx.user.click(await screen.findByRole('button', { name: 'Profiles and folders' }));
  await ctx.user.click(await screen.findByRole('button', { name: 'Add profile' }));
  await ctx.user.type(screen.getByLabelText('Profile name'), 'team');
  // The calendar file comes from main's save dialog (the fake's "user" picks /home/me/team.ics).
  await ctx.user.click(screen.getByRole('button', { name: 'Choose calendar file…' }));
  await waitFor(() => expect((screen.getByLabelText('Calendar file (.ics)') as HTMLInputElement).value).toBe('/home/me/team.ics'));
  return ctx;
}

const names = () => screen.getAllByRole('treeitem').map((t) => t.getAttribute('data-path'));

describe('folder picker', () => {
  it('builds the tree from paths, filters it, and saves the checked folders into the profile', async () => {
    const { user, fake } = await newProfile();
    await user.click(screen.getByRole('button', { name: 'Choose folders' }));
    const tree = await screen.findByRole('tree', { name: 'Folders' });
    expect(fake.requests('listFolders')).toEqual([{ name: 'work' }]); // the keychain has it: no password sent
    // INBOX first; "Shared" is a namespace root the server does not list: a root, not checkable.
    expect(within(tree).getAllByRole('treeitem').filter((t) => t.getAttribute('aria-level') === '1').map((t) => t.dataset.path)).toEqual(['INBOX', 'Projects', 'Shared']);
    expect((screen.getByRole('checkbox', { name: 'Projects' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Shared' }) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByRole('checkbox', { name: 'Shared/Team Calendar, 30 messages' })).toBeTruthy();

    await user.type(screen.getByLabelText('Filter folders'), 'alp');
    expect(names()).toEqual(['Projects', 'Projects/Alpha']);
    await user.click(screen.getByRole('checkbox', { name: 'Projects/Alpha, 7 messages' }));
    await user.clear(screen.getByLabelText('Filter folders'));
    expect(names()).toContain('INBOX/Invites');
    await user.click(screen.getByRole('checkbox', { name: 'Shared/Team Calendar, 30 messages' }));
    await user.click(screen.getByRole('checkbox', { name: 'Projects/Alpha, 7 messages' }));
    await user.click(screen.getByRole('checkbox', { name: 'Projects/Alpha, 7 messages' }));
    await user.click(screen.getByRole('button', { name: 'Save profile' }));

    await screen.findByText('Profile saved.');
    const saved = fake.requests('saveProfile')[0];
    expect(saved.name).toBe('team');
    expect(saved.profile.account).toBe('work');
    expect(saved.profile.folders).toEqual(['Shared/Team Calendar', 'Projects/Alpha']);
    expect(saved.profile.output).toBe('/home/me/team.ics');
    // The path is only for display: main takes the file from the token its dialog handed out.
    expect(saved.outputChoice).toMatch(/^[0-9a-f]{32}$/);
    expect(fake.requests('chooseOutput')).toEqual([{ profile: 'team' }]);
  });

  it('works from the keyboard: arrows move, Left/Right close and open, Space checks', async () => {
    const { user } = await newProfile();
    await user.click(screen.getByRole('button', { name: 'Choose folders' }));
    await screen.findByRole('tree', { name: 'Folders' });
    const item = (path: string) => screen.getAllByRole('treeitem').find((t) => t.dataset.path === path)!;
    // Tab reaches the tree once (roving focus on the first item).
    expect(screen.getAllByRole('treeitem').filter((t) => t.tabIndex === 0).map((t) => t.dataset.path)).toEqual(['INBOX']);
    item('INBOX').focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(item('INBOX/Invites'));
    await user.keyboard(' ');
    expect((screen.getByRole('checkbox', { name: 'INBOX/Invites, 4 messages' }) as HTMLInputElement).checked).toBe(true);
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(item('INBOX'));
    await user.keyboard('{ArrowLeft}');
    expect(item('INBOX').getAttribute('aria-expanded')).toBe('false');
    expect(names()).not.toContain('INBOX/Invites');
    await user.keyboard('{ArrowDown}{Enter}');
    expect(document.activeElement).toBe(item('Projects'));
    expect(item('Projects').getAttribute('aria-checked')).toBeNull(); // a container: Enter does nothing
    await user.keyboard('{ArrowLeft}');
    expect(names()).not.toContain('Projects/Alpha');
    await user.keyboard('{ArrowRight}');
    expect(names()).toContain('Projects/Alpha');
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(item('Shared/Team Calendar'));
    expect(screen.getByText('1 folder selected').parentElement!.textContent).toBe('1 folder selected: INBOX/Invites');
  });
});

describe('profile form', () => {
  it('lists what is missing before asking main', async () => {
    const { user, fake } = await newProfile();
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    // At the field, in words, without internal keys.
    const folders = screen.getByRole('group', { name: 'Folders' });
    expect(within(folders).getByText('Choose at least one folder.')).toBeTruthy();
    expect(folders.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('see the fields marked below');
    expect(document.body.textContent).not.toMatch(/folders: |output: /);
    expect(fake.requests('saveProfile')).toHaveLength(0);
    // Fixed → the message at the field goes at once, before the next save.
    await user.click(screen.getByRole('button', { name: 'Choose folders' }));
    await user.click(await screen.findByRole('checkbox', { name: 'INBOX, 12 messages' }));
    expect(screen.queryByText('Choose at least one folder.')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('sends the filters and options, and lists the "path: problem" lines main returns', async () => {
    const { user, fake } = await newProfile();
    await user.click(screen.getByRole('button', { name: 'Choose folders' }));
    await user.click(await screen.findByRole('checkbox', { name: 'INBOX, 12 messages' }));
    // The filters wait, closed, in "Advanced".
    const advanced = screen.getByText('Advanced: filters and calendar content').closest('details')!;
    expect(advanced.open).toBe(false);
    await user.click(screen.getByText('Advanced: filters and calendar content'));
    await user.type(screen.getByLabelText('From contains'), 'boss@corp.example');
    await user.type(screen.getByLabelText('Received since'), '2026-01-01');
    await user.type(screen.getByLabelText('Event window'), '-30d..+365d');
    await user.type(screen.getByLabelText(/Allowed senders/), 'a@corp.example, corp.example{Enter}other.example');
    await user.type(screen.getByLabelText(/Keep only events matching/), 'summary=glob:*standup*{Enter}location=^Room');
    await user.type(screen.getByLabelText(/Drop events matching/), 'summary=(');
    await user.click(screen.getByLabelText('Keep cancelled events, marked as cancelled'));
    await user.click(screen.getByLabelText('Include tasks (VTODO)'));
    fake.script('saveProfile', fail('CONFIG', '/home/me/.config/mailbox2ics/config.json has 2 problems:\n  profiles.team.filters.exclude.0: invalid regular expression: missing )\n  profiles.team.filters.window: the window starts after it ends'));
    await user.click(screen.getByRole('button', { name: 'Save profile' }));

    // Main's "path: problem" lines, put in words next to the filters (no internal keys).
    const problem = await screen.findByText(/"Drop events matching" \(line 1\): invalid regular expression: missing \)/);
    expect(problem.textContent).toContain('"Event window": the window starts after it ends');
    expect(document.body.textContent).not.toContain('profiles.team');
    expect(advanced.open).toBe(true);
    expect(screen.queryByText('Profile saved.')).toBeNull();
    const sent = fake.requests('saveProfile')[0].profile;
    expect(sent.filters).toEqual({
      from: 'boss@corp.example', since: '2026-01-01', window: '-30d..+365d',
      allowSenders: ['a@corp.example', 'corp.example', 'other.example'],
      match: ['summary=glob:*standup*', 'location=^Room'],
      exclude: ['summary=('],
    });
    expect(sent.cancelled).toBe('keep');
    expect(sent.include).toEqual(['VEVENT', 'VTODO']);

    // Fixed and saved: the problems go away.
    await user.clear(screen.getByLabelText(/Drop events matching/));
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    await screen.findByText('Profile saved.');
    expect(screen.queryByText(/invalid regular expression/)).toBeNull();
    await waitFor(() => expect(screen.getByRole('list', { name: 'Profiles' }).textContent).toContain('team'));
  });

  it('edits an existing profile under its name (previousName) and keeps its folders', async () => {
    const fake = createFakeApi();
    addAccount(fake, 'work', { password: 'pw' });
    addProfile(fake, 'team', { folders: ['INBOX/Invites'] });
    const { user } = setup(<App />, fake);
    await user.click(await screen.findByRole('button', { name: 'Profiles and folders' }));
    await user.click(await screen.findByRole('button', { name: 'Edit team' }));
    await user.clear(screen.getByLabelText('Profile name'));
    await user.type(screen.getByLabelText('Profile name'), 'team2');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    await screen.findByText('Profile saved.');
    expect(fake.requests('saveProfile')[0]).toMatchObject({ name: 'team2', previousName: 'team', profile: { folders: ['INBOX/Invites'] } });
  });
});

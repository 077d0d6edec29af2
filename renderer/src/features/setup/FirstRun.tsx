// The guided first run: 1 the mail account (sign-in or password; a certificate decision in plain
// words) → 2 folders, calendar file and schedule → 3 the first sync, which opens the calendar.
// Each step is the same form the app uses later; nothing here talks to main except through them.
import { useState } from 'react';
import type { Session } from '../../session.ts';
import type { AccountView } from '../../types.ts';
import { AccountForm } from '../accounts/AccountForm.tsx';
import { ProfileForm } from '../profiles/ProfileForm.tsx';

type Step = 1 | 2 | 3;
const STEPS: Array<[Step, string]> = [[1, 'Mail account'], [2, 'Folders, file and schedule'], [3, 'First sync']];

export function FirstRun({ session, accounts, onChanged, onSync, syncing }: {
  session: Session; accounts: AccountView[]; onChanged: () => Promise<void> | void; onSync: (profile: string) => void; syncing: boolean;
}) {
  const [step, setStep] = useState<Step>(accounts.length ? 2 : 1);
  const [profile, setProfile] = useState<string>();
  return (
    <section className="first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title">Set up your calendar</h2>
      <p className="muted">mailbox2ics reads calendar invitations from folders of your mail account (without changing any mail) and keeps one calendar file up to date from them.</p>
      <ol className="steps" aria-label="Setup steps">
        {STEPS.map(([n, label]) => (
          <li key={n} className={n === step ? 'current' : n < step ? 'done' : ''} aria-current={n === step ? 'step' : undefined}>
            <span className="step-no" aria-hidden="true">
              {n < step ? '✓' : n}
            </span>{' '}
            {label}
            {n < step ? <span className="sr-only"> (done)</span> : null}
          </li>
        ))}
      </ol>
      {step === 1 && (
        <>
          <p>Connect the account that receives the invitations. Test the connection to check the server and password.</p>
          <AccountForm
            session={session}
            onSaved={() => void onChanged()}
            onClose={() => {
              void onChanged();
              setStep(2);
            }}
          />
          {accounts.length > 0 && (
            <p className="actions">
              <button type="button" className="primary" onClick={() => setStep(2)}>
                Continue
              </button>
            </p>
          )}
        </>
      )}
      {step === 2 && (
        <>
          <p>Pick the folders that hold the invitations, where the calendar file goes, and how often it is brought up to date.</p>
          {accounts.length ? (
            <ProfileForm
              session={session}
              accounts={accounts}
              onSaved={() => void onChanged()}
              onClose={() => setStep(1)}
              onDone={(name) => {
                setProfile(name);
                setStep(3);
              }}
            />
          ) : (
            <p>
              <button type="button" onClick={() => setStep(1)}>
                Add the mail account first
              </button>
            </p>
          )}
        </>
      )}
      {step === 3 && profile && (
        <div className="panel">
          <p>Everything is set. The first sync reads the folders, writes the calendar file and shows the calendar.</p>
          <button type="button" className="primary" disabled={syncing} onClick={() => onSync(profile)}>
            {syncing ? 'Syncing…' : 'Sync now'}
          </button>
        </div>
      )}
    </section>
  );
}

import { useEffect, useId, useState } from 'react';
import type { AccountOption, NotificationChoices, PortholeApi, UiSettings } from '../../shared/contract';
import type { RegionOption } from '../../shared/create-catalog';
import { describeFailure } from '../api/contract-call-error';
import { AccountList } from './account-list';
import { CommandLineToolSection } from './command-line-tool-section';

const NOTIFICATION_LABELS: Record<keyof NotificationChoices, string> = {
  idleWarning: 'A workspace is about to stop for being idle',
  idleStop: 'A workspace stopped for being idle',
  operationFinished: 'An operation finished',
  operationFailed: 'An operation failed',
  costReminder: 'Something costs money while unused (an unattached static IP)',
  portReady: "A workspace's app is ready on a forwarded port",
  firewallFollowed: "A workspace's firewall moved to this computer's new address",
  awsSignInExpired: "The AWS CLI on a workspace needs a new sign-in",
};

/** Account, default region, notifications, launch at login (each change saved as it is made), and the command line tool. */
export function SettingsPanel(props: { api: PortholeApi; accounts: AccountOption[]; onAccountsChanged: () => void; onSignIn: (account: string) => void }) {
  const { api, accounts, onAccountsChanged } = props;
  const id = useId();
  const [settings, setSettings] = useState<UiSettings>();
  const [regions, setRegions] = useState<RegionOption[]>([]);
  const [status, setStatus] = useState<{ error: boolean; text: string }>();

  useEffect(() => {
    void api.getSettings().then(setSettings);
    void api.getCatalog({}).then((c) => setRegions(c.regions), () => {});
    return api.on('settingsChanged', setSettings);
  }, [api]);

  const save = async (changes: Parameters<PortholeApi['updateSettings']>[0]) => {
    const before = settings;
    // Show the change at once, as a checkbox should; the core's answer confirms it or puts it back.
    setSettings((current) => current && { ...current, ...changes, notifications: { ...current.notifications, ...changes.notifications } });
    try {
      setSettings(await api.updateSettings(changes));
      setStatus({ error: false, text: 'Saved.' });
    } catch (error) {
      setSettings(before);
      const failure = describeFailure(error);
      setStatus({ error: true, text: `${failure.message} ${failure.fix ?? ''}` });
    }
  };

  const switchAccount = async (name: string) => {
    setStatus({ error: false, text: `Switching to ${name}…` });
    try {
      await api.useAccount({ name });
      onAccountsChanged();
      setStatus({ error: false, text: `Now on account ${name}.` });
    } catch (error) {
      const failure = describeFailure(error);
      setStatus({ error: true, text: `${failure.message} ${failure.fix ?? ''}` });
    }
  };

  if (!settings) return <p>Loading settings…</p>;
  return (
    <section className="settings" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Settings</h2>
      <div className="field">
        <label htmlFor={`${id}-account`}>Account</label>
        <select id={`${id}-account`} value={settings.activeAccount} onChange={(e) => void switchAccount(e.target.value)}>
          {accounts.map((a) => (
            <option key={a.name} value={a.name}>
              {a.kind === 'sandbox' ? 'Sandbox' : a.name}
              {a.detail ? ` — ${a.detail}` : ''}
            </option>
          ))}
        </select>
      </div>
      <AccountList api={api} accounts={accounts} onSignIn={props.onSignIn} onChecked={onAccountsChanged} />
      <div className="field">
        <label htmlFor={`${id}-region`}>Default region</label>
        <select id={`${id}-region`} value={settings.defaultRegion} onChange={(e) => void save({ defaultRegion: e.target.value })}>
          {(regions.some((r) => r.name === settings.defaultRegion) ? regions : [{ name: settings.defaultRegion, displayName: settings.defaultRegion }, ...regions]).map((r) => (
            <option key={r.name} value={r.name}>
              {r.displayName} ({r.name})
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>Notify me when</legend>
        {(Object.keys(NOTIFICATION_LABELS) as Array<keyof NotificationChoices>).map((kind) => (
          <label key={kind} className="check">
            <input
              type="checkbox"
              checked={settings.notifications[kind]}
              onChange={(e) => void save({ notifications: { ...settings.notifications, [kind]: e.target.checked } })}
            />{' '}
            {NOTIFICATION_LABELS[kind]}
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={settings.launchAtLogin} onChange={(e) => void save({ launchAtLogin: e.target.checked })} /> Start Porthole when I log in
      </label>
      <CommandLineToolSection api={api} />
      <p className="status" role="status">
        {status && <span className={status.error ? 'error' : undefined}>{status.text}</span>}
      </p>
    </section>
  );
}

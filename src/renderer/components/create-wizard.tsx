import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { PortholeApi } from '../../shared/contract';
import type { Catalog, CreateWorkspaceRequest, FieldProblem } from '../../shared/create-catalog';
import type { AccessMode } from '../../shared/workspace';
import { describeFailure } from '../api/contract-call-error';
import { usd } from '../format';
import { AwsProfilePicker } from './aws-profile-picker';
import { ModalDialog } from './modal-dialog';

const IDLE_CHOICES = [0, 15, 30, 60, 120, 240];

/**
 * New workspace: every choice on one form, the name checked as it is typed
 * (the same check the core makes), the price beside each bundle. It closes
 * once the core has accepted the request; the list shows the progress.
 */
export function CreateWizard(props: { api: PortholeApi; onClose: () => void; onStarted: (request: CreateWorkspaceRequest, done: Promise<unknown>) => void }) {
  const { api, onClose, onStarted } = props;
  const id = useId();
  const [catalog, setCatalog] = useState<Catalog>();
  const [loadError, setLoadError] = useState<string>();
  const [region, setRegion] = useState<string>();
  const [name, setName] = useState('');
  const [nameProblem, setNameProblem] = useState<FieldProblem | null>(null);
  const [bundleId, setBundleId] = useState('');
  const [blueprintId, setBlueprintId] = useState('');
  const [layers, setLayers] = useState<string[]>([]);
  const [accessMode, setAccessMode] = useState<AccessMode>('tunnel');
  const [idleTimeoutMinutes, setIdle] = useState(60);
  const [backups, setBackups] = useState(false);
  const [image, setImage] = useState('');
  const [awsProfiles, setAwsProfiles] = useState<string[]>([]);
  const [submitError, setSubmitError] = useState<{ message: string; fix?: string; field?: string }>();
  const [busy, setBusy] = useState(false);
  // Defaults fill the form once; a later region change keeps what the user chose.
  const defaulted = useRef(false);

  useEffect(() => {
    let live = true;
    api.getCatalog(region ? { region } : {}).then(
      (loaded) => {
        if (!live) return;
        setCatalog(loaded);
        setRegion(loaded.region);
        setBundleId((current) => (current && loaded.bundles.some((b) => b.id === current) ? current : loaded.defaults.bundleId));
        setBlueprintId((current) => (current && loaded.blueprints.some((b) => b.id === current) ? current : loaded.defaults.blueprintId));
        if (!defaulted.current) {
          defaulted.current = true;
          setLayers(loaded.defaults.layers);
          setAccessMode(loaded.defaults.accessMode);
          setIdle(loaded.defaults.idleTimeoutMinutes);
        }
      },
      (error: unknown) => live && setLoadError(describeFailure(error).message),
    );
    return () => {
      live = false;
    };
  }, [api, region]);

  useEffect(() => {
    if (name === '') {
      setNameProblem(null);
      return;
    }
    let live = true;
    // A short pause, so a fast typist sees the verdict on the name, not on each letter.
    const timer = setTimeout(() => {
      api.validateName({ name, ...(region ? { region } : {}) }).then((problem) => live && setNameProblem(problem), () => {});
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, name, region]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitError(undefined);
    const problem = await api.validateName({ name, ...(region ? { region } : {}) });
    if (problem) {
      setNameProblem(problem);
      return;
    }
    const request: CreateWorkspaceRequest = {
      name,
      ...(region ? { region } : {}),
      bundleId,
      blueprintId,
      layers,
      accessMode,
      idleTimeoutMinutes,
      ...(image ? { image } : {}),
      ...(backups ? { backups } : {}),
      ...(awsProfiles.length > 0 ? { awsProfiles } : {}),
    };
    setBusy(true);
    const done = api.createWorkspace(request);
    // Errors the core finds before making anything come back at once; keep the form open for them.
    const early = await Promise.race([done.then(() => undefined, (error: unknown) => describeFailure(error)), new Promise<undefined>((r) => setTimeout(r, 400))]);
    setBusy(false);
    if (early) {
      setSubmitError(early);
      return;
    }
    onStarted(request, done);
    onClose();
  };

  const nameError = nameProblem ?? (submitError?.field === 'name' ? submitError : undefined);
  const bundle = catalog?.bundles.find((b) => b.id === bundleId);
  return (
    <ModalDialog title="New workspace" onClose={onClose}>
      {loadError && <p role="alert" className="error">{loadError}</p>}
      <form className="wizard" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            name="name"
            autoFocus
            autoComplete="off"
            spellCheck={false}
            value={name}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={`${id}-name-help ${id}-name-error`}
            onChange={(e) => setName(e.target.value)}
          />
          <p id={`${id}-name-help`} className="help">
            Lowercase letters, numbers and dashes; it is also the workspace's hostname.
          </p>
          <p id={`${id}-name-error`} className="field-error" role="alert" data-testid="name-error">
            {nameError ? `${nameError.message}${nameError.fix ? ` ${nameError.fix}` : ''}` : ''}
          </p>
        </div>

        <div className="field">
          <label htmlFor={`${id}-region`}>Region</label>
          <select id={`${id}-region`} value={region ?? ''} onChange={(e) => setRegion(e.target.value)} disabled={!catalog}>
            {catalog?.regions.map((r) => (
              <option key={r.name} value={r.name}>
                {r.displayName} ({r.name})
              </option>
            ))}
          </select>
        </div>

        <div className="field">
          <label htmlFor={`${id}-bundle`}>Size</label>
          <select id={`${id}-bundle`} value={bundleId} onChange={(e) => setBundleId(e.target.value)} disabled={!catalog}>
            {catalog?.bundles.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}: {usd(b.priceMonthlyUsd)}/month, {b.cpuCount} vCPU, {b.ramSizeInGb} GB RAM, {b.diskSizeInGb} GB disk
              </option>
            ))}
          </select>
          {bundle && <p className="help">Lightsail bills {usd(bundle.priceMonthlyUsd)} a month while it exists, running or stopped; hibernate to pay only for storage.</p>}
        </div>

        <div className="field">
          <label htmlFor={`${id}-blueprint`}>Operating system</label>
          <select id={`${id}-blueprint`} value={blueprintId} onChange={(e) => setBlueprintId(e.target.value)} disabled={!catalog}>
            {catalog?.blueprints.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>

        <fieldset className="field">
          <legend>Layers</legend>
          {catalog?.layers.map((layer) => (
            <label key={layer.name} className="check">
              <input
                type="checkbox"
                checked={layers.includes(layer.name)}
                onChange={(e) => setLayers((current) => (e.target.checked ? [...current, layer.name] : current.filter((l) => l !== layer.name)))}
              />{' '}
              <strong>{layer.name}</strong> <span className="help">{layer.description}</span>
            </label>
          ))}
          {submitError?.field === 'layers' && <p className="field-error" role="alert">{submitError.message}</p>}
        </fieldset>

        <fieldset className="field">
          <legend>Access</legend>
          <label className="check">
            <input type="radio" name="access" value="tunnel" checked={accessMode === 'tunnel'} onChange={() => setAccessMode('tunnel')} /> SSH tunnel (only port 22 open, to
            your address)
          </label>
          <label className="check">
            <input type="radio" name="access" value="direct" checked={accessMode === 'direct'} onChange={() => setAccessMode('direct')} /> Direct HTTPS (port 8443 open to
            your address)
          </label>
        </fieldset>

        <div className="field">
          <label htmlFor={`${id}-idle`}>Stop when idle for</label>
          <select id={`${id}-idle`} value={idleTimeoutMinutes} onChange={(e) => setIdle(Number(e.target.value))}>
            {IDLE_CHOICES.map((minutes) => (
              <option key={minutes} value={minutes}>
                {minutes === 0 ? 'never' : `${minutes} minutes`}
              </option>
            ))}
          </select>
        </div>

        <label className="check">
          <input type="checkbox" checked={backups} onChange={(e) => setBackups(e.target.checked)} /> Back up daily (Lightsail keeps seven days; each costs at most the disk's
          size at the snapshot rate)
        </label>

        <div className="field">
          <label htmlFor={`${id}-image`}>Image</label>
          <select id={`${id}-image`} value={image} onChange={(e) => setImage(e.target.value)}>
            <option value="">None: install the layers on first start</option>
            {catalog?.images.map((i) => (
              <option key={i.name} value={i.name}>
                {i.name} ({i.layers.join(', ')})
              </option>
            ))}
          </select>
          {submitError?.field === 'image' && <p className="field-error" role="alert">{submitError.message}</p>}
        </div>

        <AwsProfilePicker profiles={catalog?.awsProfiles} picked={awsProfiles} onChange={setAwsProfiles} problem={submitError?.field === 'awsProfiles' ? submitError : undefined} />

        {submitError && !submitError.field && (
          <p className="error" role="alert">
            {submitError.message} {submitError.fix}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !catalog || name === '' || nameProblem !== null}>
            Create workspace
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

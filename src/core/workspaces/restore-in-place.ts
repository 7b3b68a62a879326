import { randomBytes } from 'node:crypto';
import { PortholeError, isPortholeError } from '../errors.js';
import type { EngineDependencies, WorkspaceRecord } from './engine-ports.js';
import { isStepDone, type JournalEntry } from './operation-journal.js';
import type { OperationData, OperationStep } from './operation-runner.js';
import { waitOptions } from './wait-options.js';
import { instanceNameOf } from './workspace-ref.js';
import { createInstance, deleteInstanceNamed, ignoreNotFound, openSshToCallerOn, turnOnBackups, waitForInstance } from './workspace-operations.js';

/**
 * A workspace put back to a day's backup on a fresh instance. Lightsail
 * cannot rename an instance, so the new one gets a name of its own and the
 * record follows it; the old instance, whose automatic snapshots die with
 * it, is deleted only once the new one runs, is set up and holds the
 * workspace's static IP. Until the switch the old instance is untouched, so
 * a failure there is undone by deleting the new one; after it, the
 * operation only carries on.
 */
export const SWITCH_STEP = 'switch the workspace to the new instance';

/** What a restore in place journals at its start, so a run carried on after a crash makes the same instance. */
export interface RestorePlan {
  date: string;
  oldInstance: string;
  newInstance: string;
}

/** The workspace's name, the backup's day and a short random part: a second restore of the same day gets another name. */
export function restoredInstanceName(workspace: string, date: string): string {
  return `${workspace}-r${date.replaceAll('-', '')}-${randomBytes(2).toString('hex')}`;
}

export function planRestore(record: WorkspaceRecord, date: string): RestorePlan {
  return { date, oldInstance: instanceNameOf(record), newInstance: restoredInstanceName(record.name, date) };
}

export function restorePlanOf(data: OperationData): RestorePlan {
  const { date, oldInstance, newInstance } = data;
  if (!date || !oldInstance || !newInstance) {
    throw new PortholeError('internal', 'A restore in place is journaled without its backup day or instance names.', {
      fix: 'Run "porthole doctor" to see what it left, and "porthole doctor --sweep" to remove it.',
    });
  }
  return { date, oldInstance, newInstance };
}

export function restoreInPlaceSteps(deps: EngineDependencies, record: WorkspaceRecord, plan: RestorePlan): OperationStep[] {
  const { date, oldInstance, newInstance } = plan;
  // The same layers, access and launch script as the workspace's own, hashed from the password in the keychain, on the backup's disk.
  const launch: WorkspaceRecord = { ...record, instanceName: newInstance, fromBackup: { workspace: record.name, instanceName: oldInstance, date } };
  delete launch.image;
  return [
    { ...createInstance(deps, launch), name: 'create the new instance from the backup' },
    waitForInstance(deps, launch, 'running', 'wait for the new instance to run'),
    { name: 'wait for the new instance to be set up', run: (data) => waitForSetUp(deps, launch, data.launchId, date) },
    {
      name: 'give the new instance the firewall of the old',
      // The ranges the user added stay; this computer's address, which may have moved, goes into the record at the switch.
      run: async (data, save) => save({ ...data, callerIp: await openSshToCallerOn(deps, record, newInstance, oldInstance) }),
    },
    ...turnOnBackups(deps, launch).map((step) => ({ ...step, name: 'turn on daily backups on the new instance' })),
    { name: SWITCH_STEP, run: (data) => deps.records.put({ ...record, instanceName: newInstance, ...(data.callerIp ? { callerIp: data.callerIp } : {}) }) },
    { name: 'move the static IP to the new instance', run: () => moveStaticIp(deps, record, newInstance) },
    { name: 'delete the old instance', run: () => deleteInstanceNamed(deps, record.region, oldInstance) },
  ];
}

/** Undoes a restore that failed before the switch: the workspace never left its old instance, so only the new one goes. */
export function restoreRollBackSteps(deps: EngineDependencies, record: WorkspaceRecord, plan: RestorePlan): OperationStep[] {
  return [{ name: 'delete the new instance', run: () => deleteInstanceNamed(deps, record.region, plan.newInstance) }];
}

/** Errors before the switch that retrying cannot fix: the restore is undone rather than kept for later. */
const ROLL_BACK_KINDS = new Set(['usage', 'invalid-input', 'bundle-not-allowed', 'name-taken', 'region-not-enabled', 'access-denied', 'not-found', 'wrong-state']);

/** Whether an operation undoes itself when it cannot complete: a create always, a restore in place until its switch. */
export function canRollBack(entry: JournalEntry): boolean {
  return entry.kind === 'create' || (entry.kind === 'restore' && !isStepDone(entry, SWITCH_STEP));
}

export function restoreRollsBackOn(error: unknown): boolean {
  return isPortholeError(error) && ROLL_BACK_KINDS.has(error.kind);
}

/**
 * The old instance goes only once the new one is set up, when Porthole can
 * read that (the status read over SSH); otherwise once it runs.
 */
async function waitForSetUp(deps: EngineDependencies, launch: WorkspaceRecord, launchId: string | undefined, date: string): Promise<void> {
  const reader = deps.setUpReader;
  if (!reader) return;
  const deadline = deps.clock.now() + (deps.waitTimeoutMs ?? 20 * 60_000);
  let lastProblem = 'its status could not be read yet';
  for (;;) {
    try {
      const { provisioning } = await reader.read({ region: launch.region, name: launch.name, instanceName: instanceNameOf(launch), ...(launchId ? { launchId } : {}) });
      if (provisioning.failure) {
        throw new PortholeError('wrong-state', `The instance restored from the ${date} backup of "${launch.name}" failed its setup: ${provisioning.failure}`, {
          fix: `The workspace stays on its old instance; see "porthole logs ${launch.name}", then try the restore again.`,
        });
      }
      if (provisioning.done) return;
      lastProblem = provisioning.step ? `it is at "${provisioning.step.name}"` : 'its setup has not begun';
    } catch (error) {
      if (isPortholeError(error, 'wrong-state')) throw error;
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (deps.clock.now() > deadline) {
      throw new PortholeError('timeout', `The instance restored from the ${date} backup of "${launch.name}" is not set up yet: ${lastProblem}.`, {
        fix: 'Run the command again to keep waiting; the workspace stays on its old instance until then.',
      });
    }
    await deps.clock.sleep(deps.pollIntervalMs ?? 2_000);
  }
}

/** Detaches the workspace's static IP from the old instance and attaches it to the new one; without one, there is nothing to move. */
async function moveStaticIp(deps: EngineDependencies, record: WorkspaceRecord, newInstance: string): Promise<void> {
  const { gateway } = deps;
  const staticIp = await gateway.findStaticIp(record.region, record.staticIpName);
  if (!staticIp || staticIp.attachedTo === newInstance) return;
  if (staticIp.isAttached) await gateway.waitForOperations(await ignoreNotFound(() => gateway.detachStaticIp(record.region, record.staticIpName)), waitOptions(deps));
  await gateway.waitForOperations(await gateway.attachStaticIp(record.region, record.staticIpName, newInstance), waitOptions(deps));
}

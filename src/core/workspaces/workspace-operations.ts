import { randomBytes } from 'node:crypto';
import { isPortholeError, PortholeError } from '../errors.js';
import { composeLayers } from '../provision/layer-composition.js';
import { builtinCatalog, composable } from '../provision/layer-catalog.js';
import { ROOT_LAYER, resumeLaunchScript } from '../provision/launch-script.js';
import type { ComposedEnvironment } from '../provision/layer-composition.js';
import type { Clock } from '../cloud/clock.js';
import type { LightsailGateway } from '../cloud/lightsail-gateway.js';
import type { PortRule } from '../cloud/model.js';
import { LAUNCH_TAG, WORKSPACE_TAG } from '../cloud/porthole-tags.js';
import type { EngineDependencies, WorkspaceRecord } from './engine-ports.js';
import type { OperationData, OperationStep } from './operation-runner.js';
import { SSH_PORT, sshSources } from './firewall-cidr.js';
import { waitOptions } from './wait-options.js';
import { applyBackups } from './workspace-backups.js';
import { instanceNameOf } from './workspace-ref.js';
import { HIBERNATION_PURPOSE, PURPOSE_TAG, hibernationSnapshotName, isHibernationSnapshot } from './workspace-resources.js';

/**
 * The steps of each lifecycle operation. Each step checks the cloud before
 * it acts, so running it twice (after a crash between the call and the
 * journal write) does nothing the second time.
 */
type Step = OperationStep;

/** A workspace's layers composed (base first) from the user's and the project's layers, or the built-in ones. */
export function composeWorkspaceLayers(deps: EngineDependencies, layers: readonly string[], projectDir?: string): Promise<ComposedEnvironment> {
  if (deps.composeLayers) return deps.composeLayers(layers, projectDir);
  return Promise.resolve(composeLayers(layers, composable(builtinCatalog()), '--layers', [ROOT_LAYER]));
}

/** Port 22 from the caller's address (and the ranges the user added, `kept`) only; code-server itself is reached through the tunnel. */
function sshOnlyFrom(ip: string, kept: readonly string[] = []): PortRule[] {
  return [{ fromPort: SSH_PORT, toPort: SSH_PORT, protocol: 'tcp', cidrs: [...new Set([`${ip}/32`, ...kept])] }];
}

function storePassword(deps: EngineDependencies, record: WorkspaceRecord): Step {
  return {
    name: 'store the password in the keychain',
    async run() {
      if ((await deps.passwords.get(record)) === undefined) {
        await deps.passwords.set(record, deps.generatePassword());
      }
    },
  };
}

function saveRecord(deps: EngineDependencies, record: WorkspaceRecord): Step {
  return { name: 'remember the workspace', run: () => deps.records.put(record) };
}

/**
 * This launch's id, made once per operation and kept in its journal data,
 * so a step run again after a crash sends the same one. The instance
 * carries it as a tag and its launch script in every progress marker.
 */
async function launchIdOf(data: OperationData, save: (data: OperationData) => Promise<void>): Promise<{ launchId: string; data: OperationData }> {
  if (data.launchId) return { launchId: data.launchId, data };
  const launchId = randomBytes(8).toString('hex');
  const saved = { ...data, launchId };
  await save(saved);
  return { launchId, data: saved };
}

export function createInstance(deps: EngineDependencies, record: WorkspaceRecord): Step {
  return {
    name: 'create the instance',
    async run(data, save) {
      const { gateway } = deps;
      const instanceName = instanceNameOf(record);
      if (await gateway.findInstance(record.region, instanceName)) return;
      const { launchId } = await launchIdOf(data, save);
      const password = await deps.passwords.get(record);
      if (password === undefined) {
        throw new PortholeError('keychain', `The password of "${record.name}" vanished from the keychain while it was being created.`, {
          fix: 'Run the command again; a new password will be made.',
        });
      }
      const userData = deps.launchScript({
        passwordHash: await deps.hashPassword(password),
        accessMode: record.accessMode,
        idleTimeoutMinutes: record.idleTimeoutMinutes,
        layers: await composeWorkspaceLayers(deps, record.layers, record.projectDir),
        launchId,
        ...(record.awsConfig ? { awsConfig: record.awsConfig } : {}),
      });
      const placement = {
        region: record.region,
        ...(record.availabilityZone ? { availabilityZone: record.availabilityZone } : {}),
        instanceNames: [instanceName],
        workspace: record.name,
        bundleId: record.bundleId,
        userData,
        tags: { ...deps.resourceTags, [LAUNCH_TAG]: launchId },
      };
      // From an image or a backup, the disk already holds the earlier steps' markers, so the same script skips them.
      const { image, fromBackup } = record;
      const operations = await createIgnoringTaken(record, () =>
        fromBackup
          ? gateway.createInstancesFromSnapshot({ ...placement, backup: { instanceName: fromBackup.instanceName ?? fromBackup.workspace, date: fromBackup.date } })
          : image
            ? gateway.createInstancesFromSnapshot({ ...placement, snapshotName: image })
            : gateway.createInstances({ ...placement, blueprintId: record.blueprintId }),
      );
      await gateway.waitForOperations(operations, waitOptions(deps));
    },
  };
}

/**
 * A create retried after a lost answer meets its own earlier success as
 * "name taken"; that is done, not an error. A name taken by something
 * Porthole does not own is still an error.
 */
export async function createIgnoringTaken<T>(record: WorkspaceRecord, create: () => Promise<T[]>): Promise<T[]> {
  try {
    return await create();
  } catch (error) {
    if (isPortholeError(error, 'name-taken')) return [];
    throw error;
  }
}

export function waitForInstance(deps: EngineDependencies, record: WorkspaceRecord, state: 'running' | 'stopped', name: string): Step {
  return {
    name,
    run: async () => {
      await deps.gateway.waitForInstanceState(record.region, instanceNameOf(record), state, waitOptions(deps));
    },
  };
}

function attachStaticIp(deps: EngineDependencies, record: WorkspaceRecord): Step {
  return {
    name: 'attach a static IP',
    async run() {
      const { gateway } = deps;
      let staticIp = await gateway.findStaticIp(record.region, record.staticIpName);
      if (!staticIp) {
        await gateway.waitForOperations(await gateway.allocateStaticIp(record.region, record.staticIpName), waitOptions(deps));
        staticIp = await gateway.getStaticIp(record.region, record.staticIpName);
      }
      if (staticIp.attachedTo === instanceNameOf(record)) return;
      if (staticIp.isAttached) {
        throw new PortholeError('wrong-state', `Static IP ${record.staticIpName} is attached to "${staticIp.attachedTo}", not to workspace "${record.name}".`, {
          fix: `Detach it in the Lightsail console, or delete workspace "${record.name}" and create it again.`,
        });
      }
      await gateway.waitForOperations(await gateway.attachStaticIp(record.region, record.staticIpName, instanceNameOf(record)), waitOptions(deps));
    },
  };
}

/**
 * A new instance opens SSH and HTTP to everyone; this leaves SSH from this
 * computer only. An instance started again (`keepAdded`) keeps the ranges
 * the user added to its rule; the old address of this computer goes.
 */
function openSshToCaller(deps: EngineDependencies, record: WorkspaceRecord, keepAdded = false): Step {
  return {
    name: 'open SSH to this computer only',
    async run() {
      const instance = instanceNameOf(record);
      const ip = await openSshToCallerOn(deps, record, instance, keepAdded ? instance : undefined);
      // Steps after this one save this same record: they keep the address too.
      record.callerIp = ip;
      await deps.records.put(record);
    },
  };
}

/** Writes `instance`'s SSH rule for this computer's address, keeping the ranges the user added to `keepAddedOf`'s rule; answers the address. */
export async function openSshToCallerOn(deps: EngineDependencies, record: WorkspaceRecord, instance: string, keepAddedOf?: string): Promise<string> {
  const ip = await deps.publicIp();
  const added = keepAddedOf ? sshSources(await deps.gateway.getPortStates(record.region, keepAddedOf), record.callerIp).filter((s) => s.source === 'added').map((s) => s.cidr) : [];
  await deps.gateway.waitForOperations(await deps.gateway.putPublicPorts(record.region, instance, sshOnlyFrom(ip, added)), waitOptions(deps));
  return ip;
}

function deleteInstance(deps: EngineDependencies, record: WorkspaceRecord): Step {
  return {
    name: 'delete the instance',
    async run() {
      await deleteInstanceNamed(deps, record.region, instanceNameOf(record));
    },
  };
}

/** Deletes one instance and waits until it is gone; nothing to do when it already is. */
export async function deleteInstanceNamed(deps: EngineDependencies, region: string, name: string): Promise<void> {
  const { gateway } = deps;
  const instance = await gateway.findInstance(region, name);
  if (!instance) return;
  if (instance.state !== 'shutting-down' && instance.state !== 'terminated') {
    await gateway.waitForOperations(await ignoreNotFound(() => gateway.deleteInstance(region, name)), waitOptions(deps));
  }
  await waitUntilInstanceGone(gateway, deps.clock, region, name, { timeoutMs: deps.waitTimeoutMs, pollIntervalMs: deps.pollIntervalMs });
}

/** Polls until the instance is gone (or terminated); a timeout says to run the command again. */
export async function waitUntilInstanceGone(
  gateway: LightsailGateway,
  clock: Clock,
  region: string,
  name: string,
  { timeoutMs = 20 * 60_000, pollIntervalMs = 2_000 }: { timeoutMs?: number | undefined; pollIntervalMs?: number | undefined } = {},
): Promise<void> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const instance = await gateway.findInstance(region, name);
    if (!instance || instance.state === 'terminated') return;
    if (clock.now() > deadline) {
      throw new PortholeError('timeout', `Instance "${name}" is still ${instance.state} after the wait for its deletion.`, {
        fix: 'Run the command again to keep waiting.',
      });
    }
    await clock.sleep(pollIntervalMs);
  }
}

export async function ignoreNotFound<T>(call: () => Promise<T[]>): Promise<T[]> {
  try {
    return await call();
  } catch (error) {
    if (isPortholeError(error, 'not-found')) return [];
    throw error;
  }
}

function releaseStaticIp(deps: EngineDependencies, record: WorkspaceRecord): Step {
  return {
    name: 'release the static IP',
    async run() {
      const { gateway } = deps;
      const staticIp = await gateway.findStaticIp(record.region, record.staticIpName);
      if (!staticIp) return;
      if (staticIp.isAttached) {
        await gateway.waitForOperations(await ignoreNotFound(() => gateway.detachStaticIp(record.region, record.staticIpName)), waitOptions(deps));
      }
      await gateway.waitForOperations(await ignoreNotFound(() => gateway.releaseStaticIp(record.region, record.staticIpName)), waitOptions(deps));
    },
  };
}

function deleteHibernationSnapshots(deps: EngineDependencies, record: WorkspaceRecord): Step {
  return {
    name: 'delete the hibernation snapshots',
    async run() {
      const { gateway } = deps;
      const snapshots = (await gateway.listSnapshots(record.region)).filter(
        (s) => isHibernationSnapshot(s) && s.tags[WORKSPACE_TAG] === record.name,
      );
      for (const snapshot of snapshots) {
        await gateway.waitForOperations(await ignoreNotFound(() => gateway.deleteSnapshot(record.region, snapshot.name)), waitOptions(deps));
      }
    },
  };
}

function forgetPassword(deps: EngineDependencies, record: WorkspaceRecord): Step {
  return { name: 'remove the password from the keychain', run: () => deps.passwords.delete(record) };
}

function forgetRecord(deps: EngineDependencies, record: WorkspaceRecord): Step {
  return { name: 'forget the workspace', run: () => deps.records.remove(record) };
}

export function createSteps(deps: EngineDependencies, record: WorkspaceRecord): Step[] {
  return [
    storePassword(deps, record),
    saveRecord(deps, record),
    createInstance(deps, record),
    waitForInstance(deps, record, 'running', 'wait for the instance to run'),
    attachStaticIp(deps, record),
    openSshToCaller(deps, record),
    ...turnOnBackups(deps, record),
  ];
}

/** A new instance of a workspace with backups on gets the add-on; the add-on is the instance's, not the workspace's. */
export function turnOnBackups(deps: EngineDependencies, record: WorkspaceRecord): Step[] {
  if (!record.backups) return [];
  return [{ name: 'turn on daily backups', run: () => applyBackups(deps, record) }];
}

export function deleteSteps(deps: EngineDependencies, record: WorkspaceRecord, keepSnapshots: boolean): Step[] {
  return [
    deleteInstance(deps, record),
    releaseStaticIp(deps, record),
    ...(keepSnapshots ? [] : [deleteHibernationSnapshots(deps, record)]),
    forgetPassword(deps, record),
    forgetRecord(deps, record),
  ];
}

export function startSteps(deps: EngineDependencies, record: WorkspaceRecord): Step[] {
  return [
    {
      name: 'start the instance',
      async run() {
        const instanceName = instanceNameOf(record);
        const instance = await deps.gateway.getInstance(record.region, instanceName);
        if (instance.state === 'running' || instance.state === 'pending') return;
        if (instance.state === 'stopping') {
          await deps.gateway.waitForInstanceState(record.region, instanceName, 'stopped', waitOptions(deps));
        }
        await deps.gateway.waitForOperations(await deps.gateway.startInstance(record.region, instanceName), waitOptions(deps));
      },
    },
    waitForInstance(deps, record, 'running', 'wait for the instance to run'),
    // The caller's address may have changed since the workspace last ran.
    openSshToCaller(deps, record, true),
  ];
}

export function stopSteps(deps: EngineDependencies, record: WorkspaceRecord): Step[] {
  return [stopInstance(deps, record), waitForInstance(deps, record, 'stopped', 'wait for the instance to stop')];
}

function stopInstance(deps: EngineDependencies, record: WorkspaceRecord): Step {
  return {
    name: 'stop the instance',
    async run() {
      const instance = await deps.gateway.getInstance(record.region, instanceNameOf(record));
      if (instance.state === 'stopped' || instance.state === 'stopping') return;
      await deps.gateway.waitForOperations(await deps.gateway.stopInstance(record.region, instanceNameOf(record)), waitOptions(deps));
    },
  };
}

export function rebootSteps(deps: EngineDependencies, record: WorkspaceRecord): Step[] {
  return [
    {
      name: 'reboot the instance',
      run: async () => {
        await deps.gateway.waitForOperations(await deps.gateway.rebootInstance(record.region, instanceNameOf(record)), waitOptions(deps));
      },
    },
    waitForInstance(deps, record, 'running', 'wait for the instance to run'),
  ];
}

export function hibernateSteps(deps: EngineDependencies, record: WorkspaceRecord, releaseIp: boolean): Step[] {
  return [
    // A stopped disk is a consistent disk: no half-written file in the snapshot.
    stopInstance(deps, record),
    waitForInstance(deps, record, 'stopped', 'wait for the instance to stop'),
    {
      name: 'snapshot the disk',
      async run(data, save) {
        const { gateway } = deps;
        let snapshotName = data.snapshotName;
        if (!snapshotName) {
          snapshotName = hibernationSnapshotName(record.name, new Date(deps.clock.now()));
          // Journaled before the call, so a retry after a crash finds the same snapshot instead of making a second.
          await save({ ...data, snapshotName });
        }
        if (!(await gateway.findSnapshot(record.region, snapshotName))) {
          const operations = await createIgnoringTaken(record, () =>
            gateway.createSnapshot({
              region: record.region,
              instanceName: instanceNameOf(record),
              snapshotName: snapshotName!,
              workspace: record.name,
              tags: { ...deps.resourceTags, [PURPOSE_TAG]: HIBERNATION_PURPOSE },
            }),
          );
          await gateway.waitForOperations(operations, waitOptions(deps));
        }
      },
    },
    {
      name: 'wait for the snapshot',
      async run(data) {
        await waitForSnapshot(deps, record, data.snapshotName ?? '');
      },
    },
    deleteInstance(deps, record),
    ...(releaseIp ? [releaseStaticIp(deps, record)] : []),
    {
      name: 'remember how it was hibernated',
      run: () => deps.records.put({ ...record, keepsStaticIp: !releaseIp }),
    },
  ];
}

export async function waitForSnapshot(deps: EngineDependencies, record: WorkspaceRecord, snapshotName: string): Promise<void> {
  const deadline = deps.clock.now() + (deps.waitTimeoutMs ?? 60 * 60_000);
  for (;;) {
    const snapshot = await deps.gateway.findSnapshot(record.region, snapshotName);
    if (snapshot?.state === 'available') return;
    if (snapshot?.state === 'error') {
      throw new PortholeError('service', `Lightsail could not snapshot "${record.name}"; the instance was kept.`, {
        fix: 'Try hibernating again; if it fails again, stop the workspace instead.',
      });
    }
    if (deps.clock.now() > deadline) {
      throw new PortholeError('timeout', `Snapshot ${snapshotName} of "${record.name}" is not ready yet; the instance was kept.`, {
        fix: 'Run the command again to keep waiting.',
      });
    }
    await deps.clock.sleep(deps.pollIntervalMs ?? 2_000);
  }
}

export function resumeSteps(deps: EngineDependencies, record: WorkspaceRecord): Step[] {
  return [
    {
      name: 'create the instance from its snapshot',
      async run(first, save) {
        const { gateway } = deps;
        if (await gateway.findInstance(record.region, instanceNameOf(record))) return;
        const { launchId, data } = await launchIdOf(first, save);
        let snapshotName = data.snapshotName;
        if (!snapshotName) {
          snapshotName = await latestHibernationSnapshot(deps, record);
          await save({ ...data, snapshotName });
        }
        const operations = await createIgnoringTaken(record, () =>
          gateway.createInstancesFromSnapshot({
            region: record.region,
            ...(record.availabilityZone ? { availabilityZone: record.availabilityZone } : {}),
            instanceNames: [instanceNameOf(record)],
            workspace: record.name,
            bundleId: record.bundleId,
            snapshotName: snapshotName!,
            userData: resumeLaunchScript(launchId),
            tags: { ...deps.resourceTags, [LAUNCH_TAG]: launchId },
          }),
        );
        await gateway.waitForOperations(operations, waitOptions(deps));
      },
    },
    waitForInstance(deps, record, 'running', 'wait for the instance to run'),
    attachStaticIp(deps, record),
    openSshToCaller(deps, record),
    ...turnOnBackups(deps, record),
    // The snapshot is the old disk now; keeping it would bill for a copy nobody uses.
    deleteHibernationSnapshots(deps, record),
    { name: 'remember the workspace', run: () => deps.records.put({ ...record, keepsStaticIp: true }) },
  ];
}

async function latestHibernationSnapshot(deps: EngineDependencies, record: WorkspaceRecord): Promise<string> {
  const snapshots = (await deps.gateway.listSnapshots(record.region))
    .filter((s) => isHibernationSnapshot(s) && s.tags[WORKSPACE_TAG] === record.name && s.state === 'available')
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  const latest = snapshots[0];
  if (!latest) {
    throw new PortholeError('not-found', `Workspace "${record.name}" has no hibernation snapshot to resume from.`, {
      fix: `Check "porthole status ${record.name}"; if it is gone, delete the workspace and create a new one.`,
    });
  }
  return latest.name;
}


import {
  DeleteAutoSnapshotCommand,
  DisableAddOnCommand,
  EnableAddOnCommand,
  GetAutoSnapshotsCommand,
} from '@aws-sdk/client-lightsail';
import { autoSnapshotFromSdk } from './from-sdk.js';
import { type GatewayCalls, isKind } from './gateway-calls.js';
import type { AutoSnapshot, Operation } from './model.js';

/**
 * Backups: Lightsail's automatic snapshot add-on. Its snapshots belong to
 * the instance (named by their day, not tagged) and are deleted with it.
 */
export class BackupCalls {
  constructor(readonly calls: GatewayCalls) {}

  /** Turns daily snapshots on, or moves their hour; Lightsail picks the hour when none is given. */
  enableAutoSnapshots(region: string, instanceName: string, timeOfDay?: string): Promise<Operation[]> {
    return this.calls.mutate(
      {
        region,
        action: `turn on automatic snapshots of "${instanceName}"`,
        operation: 'EnableAddOn',
        // Enabling twice leaves the same add-on: safe to repeat.
        idempotent: true,
        resources: [instanceName],
      },
      (c) =>
        c.send(
          new EnableAddOnCommand({
            resourceName: instanceName,
            addOnRequest: { addOnType: 'AutoSnapshot', ...(timeOfDay ? { autoSnapshotAddOnRequest: { snapshotTimeOfDay: timeOfDay } } : {}) },
          }),
        ),
    );
  }

  /** Stops taking new snapshots; those already taken stay. */
  disableAutoSnapshots(region: string, instanceName: string): Promise<Operation[]> {
    return this.calls.mutate(
      { region, action: `turn off automatic snapshots of "${instanceName}"`, operation: 'DisableAddOn', idempotent: true, resources: [instanceName] },
      (c) => c.send(new DisableAddOnCommand({ resourceName: instanceName, addOnType: 'AutoSnapshot' })),
    );
  }

  /** Newest first, as Lightsail lists them. */
  async listAutoSnapshots(region: string, instanceName: string): Promise<AutoSnapshot[]> {
    const out = await this.calls.call(
      { region, action: `list the automatic snapshots of "${instanceName}"`, operation: 'GetAutoSnapshots', idempotent: true, resources: [instanceName] },
      (c) => c.send(new GetAutoSnapshotsCommand({ resourceName: instanceName })),
    );
    return (out.autoSnapshots ?? []).map(autoSnapshotFromSdk);
  }

  deleteAutoSnapshot(region: string, instanceName: string, date: string): Promise<Operation[]> {
    return this.calls.mutate(
      {
        region,
        action: `delete the automatic snapshot of "${instanceName}" from ${date}`,
        operation: 'DeleteAutoSnapshot',
        idempotent: false,
        resources: [instanceName],
        recover: async (error) => (isKind(error, 'not-found') ? [] : undefined),
      },
      (c) => c.send(new DeleteAutoSnapshotCommand({ resourceName: instanceName, date })),
    );
  }
}

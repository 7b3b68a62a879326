import {
  CreateInstanceSnapshotCommand,
  DeleteInstanceSnapshotCommand,
  GetInstanceSnapshotCommand,
  GetInstanceSnapshotsCommand,
} from '@aws-sdk/client-lightsail';
import { snapshotFromSdk, tagsToSdk } from './from-sdk.js';
import { type GatewayCalls, emptyAnswer, isKind, orUndefinedIfMissing } from './gateway-calls.js';
import type { CreateSnapshotRequest } from './lightsail-gateway.js';
import type { Operation, Snapshot } from './model.js';
import { collectPages } from './pagination.js';
import { portholeTags, workspaceOf } from './porthole-tags.js';

/** Instance snapshots: what hibernate keeps and bake produces. */
export class SnapshotCalls {
  constructor(readonly calls: GatewayCalls) {}

  createSnapshot(request: CreateSnapshotRequest): Promise<Operation[]> {
    const { region, instanceName, snapshotName } = request;
    return this.calls.mutate(
      {
        region,
        action: `snapshot instance "${instanceName}" as "${snapshotName}"`,
        operation: 'CreateInstanceSnapshot',
        idempotent: false,
        creates: [snapshotName],
        resources: [instanceName],
        recover: async (error) => {
          if (!isKind(error, 'name-taken')) return undefined;
          const snapshot = await this.findSnapshot(region, snapshotName);
          const ours = snapshot?.fromInstanceName === instanceName && workspaceOf(snapshot.tags) === request.workspace;
          return ours ? this.calls.latestOperations(region, snapshotName, 'CreateInstanceSnapshot') : undefined;
        },
      },
      (c) =>
        c.send(
          new CreateInstanceSnapshotCommand({
            instanceName,
            instanceSnapshotName: snapshotName,
            tags: tagsToSdk(portholeTags(request.workspace, request.tags)),
          }),
        ),
    );
  }

  async getSnapshot(region: string, name: string): Promise<Snapshot> {
    const out = await this.calls.call(
      { region, action: `read snapshot "${name}"`, operation: 'GetInstanceSnapshot', idempotent: true, resources: [name] },
      (c) => c.send(new GetInstanceSnapshotCommand({ instanceSnapshotName: name })),
    );
    if (!out.instanceSnapshot) throw emptyAnswer('GetInstanceSnapshot', region);
    return snapshotFromSdk(out.instanceSnapshot, region);
  }

  findSnapshot(region: string, name: string): Promise<Snapshot | undefined> {
    return orUndefinedIfMissing(this.getSnapshot(region, name));
  }

  listSnapshots(region: string): Promise<Snapshot[]> {
    return collectPages(async (pageToken) => {
      const out = await this.calls.call(
        { region, action: 'list snapshots', operation: 'GetInstanceSnapshots', idempotent: true },
        (c) => c.send(new GetInstanceSnapshotsCommand({ pageToken })),
      );
      return {
        items: (out.instanceSnapshots ?? []).map((s) => snapshotFromSdk(s, region)),
        nextPageToken: out.nextPageToken,
      };
    });
  }

  deleteSnapshot(region: string, name: string): Promise<Operation[]> {
    return this.calls.mutate(
      {
        region,
        action: `delete snapshot "${name}"`,
        operation: 'DeleteInstanceSnapshot',
        idempotent: false,
        resources: [name],
        deletes: [name],
        recover: async (error) => (isKind(error, 'not-found') ? [] : undefined),
      },
      (c) => c.send(new DeleteInstanceSnapshotCommand({ instanceSnapshotName: name })),
    );
  }
}

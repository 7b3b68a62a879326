import { PortholeError } from '../errors.js';
import type { Tags } from '../cloud/model.js';
import type { EngineDependencies, WorkspaceRecord } from './engine-ports.js';
import { IMAGE_TAG, isImageSnapshot } from './images.js';
import type { OperationStep } from './operation-runner.js';
import { waitOptions } from './wait-options.js';
import { createIgnoringTaken } from './workspace-operations.js';
import { instanceNameOf } from './workspace-ref.js';

/**
 * The steps of a bake. The snapshot is named after the image, so a bake
 * carried on after a crash finds the snapshot it already asked for instead
 * of making a second one.
 */
export function bakeSteps(deps: EngineDependencies, record: WorkspaceRecord, image: string, tags: Tags): OperationStep[] {
  return [
    {
      name: 'snapshot the disk as an image',
      async run() {
        const { gateway } = deps;
        const existing = await gateway.findSnapshot(record.region, image);
        if (existing) {
          if (isImageSnapshot(existing) && existing.tags[IMAGE_TAG] === image && existing.fromInstanceName === instanceNameOf(record)) return;
          throw imageNameTaken(image, record.region);
        }
        const operations = await createIgnoringTaken(record, () =>
          gateway.createSnapshot({ region: record.region, instanceName: instanceNameOf(record), snapshotName: image, workspace: record.name, tags: { ...deps.resourceTags, ...tags } }),
        );
        await gateway.waitForOperations(operations, waitOptions(deps));
      },
    },
    {
      name: 'wait for the image',
      async run() {
        const deadline = deps.clock.now() + (deps.waitTimeoutMs ?? 60 * 60_000);
        for (;;) {
          const snapshot = await deps.gateway.findSnapshot(record.region, image);
          if (snapshot?.state === 'available') return;
          if (snapshot?.state === 'error') {
            throw new PortholeError('service', `Lightsail could not snapshot "${record.name}" as image "${image}".`, {
              fix: `Delete it ("porthole images delete ${image}") and bake again.`,
            });
          }
          if (deps.clock.now() > deadline) {
            throw new PortholeError('timeout', `Image "${image}" is not available yet.`, { fix: 'Run the bake again to keep waiting; it carries on with the same snapshot.' });
          }
          await deps.clock.sleep(deps.pollIntervalMs ?? 2_000);
        }
      },
    },
  ];
}

export function imageNameTaken(image: string, region: string): PortholeError {
  return new PortholeError('name-taken', `A snapshot named "${image}" already exists in ${region}.`, {
    fix: 'Choose another image name ("porthole images" lists the images).',
  });
}

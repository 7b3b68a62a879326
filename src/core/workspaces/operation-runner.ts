import type { OperationProgress } from '../../shared/workspace.js';
import type { CrashHook } from './crash-points.js';
import { isStepDone, type JournalEntry } from './operation-journal.js';

export type OperationData = Record<string, string>;

/**
 * One step of a multi-step operation. Every step must be idempotent: after
 * a crash the operation runs again from the first step not journaled as
 * done, and that step may have half-happened (the cloud call went out, the
 * "after" record did not). So a step first looks at the cloud, then acts.
 * `save` journals names the step is about to create, before it creates them.
 */
export interface OperationStep {
  name: string;
  run(data: OperationData, save: (data: OperationData) => Promise<void>): Promise<void>;
}

/** What the runner needs of the operations journal. */
export interface StepJournal {
  beforeStep(id: string, step: string, data?: OperationData): Promise<void>;
  afterStep(id: string, step: string, data?: OperationData): Promise<void>;
  finish(id: string): Promise<void>;
}

export interface RunOptions {
  crashHook?: CrashHook;
  onProgress?: (progress: OperationProgress) => void;
}

/**
 * Runs the steps of `entry` not yet done, journaling before and after each,
 * so that a kill at any point leaves a journal the next start carries on from.
 */
export async function runSteps(
  journal: StepJournal,
  entry: JournalEntry,
  steps: readonly OperationStep[],
  { crashHook, onProgress }: RunOptions = {},
): Promise<OperationData> {
  let data: OperationData = { ...entry.data };
  for (const [index, step] of steps.entries()) {
    if (isStepDone(entry, step.name)) continue;
    onProgress?.({ kind: entry.kind, step: step.name, index: index + 1, total: steps.length });
    await journal.beforeStep(entry.id, step.name);
    crashHook?.({ operation: entry.kind, step: index, phase: 'before' });
    await step.run(data, async (next) => {
      data = { ...next };
      await journal.beforeStep(entry.id, step.name, data);
    });
    // A crash here is the hard case: the cloud changed, the journal does not say so yet.
    crashHook?.({ operation: entry.kind, step: index, phase: 'after' });
    await journal.afterStep(entry.id, step.name, data);
  }
  await journal.finish(entry.id);
  return data;
}

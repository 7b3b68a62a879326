/**
 * A deterministic way to die mid-operation, for the crash-safety suite: with
 * `PORTHOLE_CRASH_AT=create:3:after` the process kills itself right after
 * the fourth step of a create has been journaled. Production never sets it;
 * it costs one string comparison per step.
 */
export type CrashPhase = 'before' | 'after';

export interface CrashPoint {
  operation: string;
  step: number;
  phase: CrashPhase;
}

export type CrashHook = (point: CrashPoint) => void;

export function crashHookFromEnv(env: NodeJS.ProcessEnv = process.env): CrashHook | undefined {
  const spec = env.PORTHOLE_CRASH_AT;
  if (!spec) return undefined;
  return ({ operation, step, phase }) => {
    if (spec === `${operation}:${step}:${phase}`) process.kill(process.pid, 'SIGKILL');
  };
}

/** How long, in emulated milliseconds, each Lightsail change takes; close to what the service shows. */
export interface Durations {
  /** CreateInstances until `running`. */
  create: number;
  /** StartInstance until `running`. */
  start: number;
  /** StopInstance until `stopped`. */
  stop: number;
  /** RebootInstance until its operation succeeds. */
  reboot: number;
  /** DeleteInstance, spent in `shutting-down`, until the instance is gone. */
  delete: number;
  /** CreateInstanceSnapshot until the snapshot is `available`. */
  snapshot: number;
}

export const DEFAULT_DURATIONS: Durations = {
  create: 45_000,
  start: 30_000,
  stop: 30_000,
  reboot: 20_000,
  delete: 15_000,
  snapshot: 90_000,
};

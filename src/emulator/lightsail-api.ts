import { getInstanceAccessDetails } from './access-details.js';
import type { Account, Call } from './account.js';
import { deleteAutoSnapshot, disableAddOn, enableAddOn, getAutoSnapshots } from './auto-snapshots.js';
import { getBlueprints, getBundles, getRegions } from './catalogue-calls.js';
import type { Input } from './input.js';
import {
  closeInstancePublicPorts,
  getInstancePortStates,
  openInstancePublicPorts,
  putInstancePublicPorts,
} from './instance-ports.js';
import {
  createInstances,
  deleteInstance,
  getInstance,
  getInstanceState,
  getInstances,
  rebootInstance,
  startInstance,
  stopInstance,
} from './instances.js';
import { createKeyPair, deleteKeyPair, getKeyPairs } from './key-pairs.js';
import { getInstanceMetricData } from './metrics.js';
import { getOperation, getOperations, getOperationsForResource } from './operations.js';
import {
  allocateStaticIp,
  attachStaticIp,
  detachStaticIp,
  getStaticIp,
  getStaticIps,
  releaseStaticIp,
} from './static-ips.js';
import {
  createInstanceSnapshot,
  createInstancesFromSnapshot,
  deleteInstanceSnapshot,
  getInstanceSnapshot,
  getInstanceSnapshots,
} from './snapshots.js';
import { tagResource, untagResource } from './tags.js';

export type Handler = (account: Account, call: Call, input: Input) => unknown;

/** Every operation the emulator answers, by its name in `x-amz-target`. */
export const OPERATIONS: Readonly<Record<string, Handler>> = {
  GetRegions: getRegions,
  GetBundles: getBundles,
  GetBlueprints: getBlueprints,
  CreateInstances: createInstances,
  GetInstance: getInstance,
  GetInstances: getInstances,
  GetInstanceState: getInstanceState,
  StartInstance: startInstance,
  StopInstance: stopInstance,
  RebootInstance: rebootInstance,
  DeleteInstance: deleteInstance,
  AllocateStaticIp: allocateStaticIp,
  AttachStaticIp: attachStaticIp,
  DetachStaticIp: detachStaticIp,
  ReleaseStaticIp: releaseStaticIp,
  GetStaticIp: getStaticIp,
  GetStaticIps: getStaticIps,
  PutInstancePublicPorts: putInstancePublicPorts,
  OpenInstancePublicPorts: openInstancePublicPorts,
  CloseInstancePublicPorts: closeInstancePublicPorts,
  GetInstancePortStates: getInstancePortStates,
  GetOperation: getOperation,
  GetOperations: getOperations,
  GetOperationsForResource: getOperationsForResource,
  GetInstanceAccessDetails: getInstanceAccessDetails,
  CreateInstanceSnapshot: createInstanceSnapshot,
  GetInstanceSnapshot: getInstanceSnapshot,
  GetInstanceSnapshots: getInstanceSnapshots,
  DeleteInstanceSnapshot: deleteInstanceSnapshot,
  CreateInstancesFromSnapshot: createInstancesFromSnapshot,
  GetInstanceMetricData: getInstanceMetricData,
  EnableAddOn: enableAddOn,
  DisableAddOn: disableAddOn,
  GetAutoSnapshots: getAutoSnapshots,
  DeleteAutoSnapshot: deleteAutoSnapshot,
  CreateKeyPair: createKeyPair,
  GetKeyPairs: getKeyPairs,
  DeleteKeyPair: deleteKeyPair,
  TagResource: tagResource,
  UntagResource: untagResource,
};

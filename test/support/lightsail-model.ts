import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One shape of a botocore service model, as far as validation reads it. */
export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
  exception?: boolean;
  /** The service's own fault (a 5xx), as opposed to the caller's. */
  fault?: boolean;
}

export interface OperationModel {
  name: string;
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  metadata: { apiVersion: string; targetPrefix: string; protocol: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

const MODEL_PATH = 'lightsail/2016-11-28/service-2.json';

/** Where Debian's awscli (its own botocore copy) and python3-botocore keep the service models. */
export const BOTOCORE_DATA_DIRS = [
  '/usr/lib/python3/dist-packages/awscli/botocore/data',
  '/usr/lib/python3/dist-packages/botocore/data',
];

/** The Lightsail model that ships with botocore: plain or gzipped, as botocore itself reads either. */
export function loadLightsailModel(dataDirs: readonly string[] = BOTOCORE_DATA_DIRS): { model: ServiceModel; path: string } {
  for (const dir of dataDirs) {
    const plain = join(dir, MODEL_PATH);
    if (existsSync(plain)) return { model: JSON.parse(readFileSync(plain, 'utf8')) as ServiceModel, path: plain };
    const gzipped = `${plain}.gz`;
    if (existsSync(gzipped)) return { model: JSON.parse(gunzipSync(readFileSync(gzipped)).toString('utf8')) as ServiceModel, path: gzipped };
  }
  throw new Error(
    `The Lightsail service model (${MODEL_PATH}, plain or .gz) is not under ${dataDirs.join(' or ')}. ` +
      'It ships with the Debian package awscli: install it with `sudo apt-get install awscli`.',
  );
}

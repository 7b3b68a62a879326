import { GetInstanceAccessDetailsCommand, GetInstanceMetricDataCommand } from '@aws-sdk/client-lightsail';
import { accessDetailsFromSdk, metricPointFromSdk } from './from-sdk.js';
import { type GatewayCalls, emptyAnswer } from './gateway-calls.js';
import type { MetricRequest } from './lightsail-gateway.js';
import type { AccessDetails, MetricPoint } from './model.js';

/** Reaching a running instance: its SSH login, and how busy it is. */
export class AccessCalls {
  constructor(readonly calls: GatewayCalls) {}

  async getAccessDetails(region: string, instanceName: string): Promise<AccessDetails> {
    // Each answer is a fresh certificate and nothing persists, so repeating it is harmless.
    const out = await this.calls.call(
      { region, action: `get SSH access to instance "${instanceName}"`, operation: 'GetInstanceAccessDetails', idempotent: true, resources: [instanceName] },
      (c) => c.send(new GetInstanceAccessDetailsCommand({ instanceName, protocol: 'ssh' })),
    );
    if (!out.accessDetails) throw emptyAnswer('GetInstanceAccessDetails', region);
    return accessDetailsFromSdk(out.accessDetails, instanceName);
  }

  async getCpuUtilization(region: string, instanceName: string, request: MetricRequest): Promise<MetricPoint[]> {
    const out = await this.calls.call(
      { region, action: `read the CPU use of instance "${instanceName}"`, operation: 'GetInstanceMetricData', idempotent: true, resources: [instanceName] },
      (c) =>
        c.send(
          new GetInstanceMetricDataCommand({
            instanceName,
            metricName: 'CPUUtilization',
            period: request.periodSeconds ?? 300,
            startTime: request.start,
            endTime: request.end,
            unit: 'Percent',
            statistics: ['Average', 'Maximum', 'Minimum'],
          }),
        ),
    );
    return (out.metricData ?? []).map(metricPointFromSdk).sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  }
}

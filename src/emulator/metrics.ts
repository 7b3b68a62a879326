import { createHash } from 'node:crypto';
import type { Account, Call } from './account.js';
import { type Input, epochSeconds, optionalTimestamp, requiredNumber, requiredString, stringList } from './input.js';
import { invalidInput } from './lightsail-error.js';
import { findInstance } from './instances.js';

/** Each metric Lightsail keeps for an instance, with the one unit it accepts and a plausible idle level. */
const METRICS: Record<string, { unit: string; base: number; spread: number }> = {
  CPUUtilization: { unit: 'Percent', base: 3, spread: 12 },
  NetworkIn: { unit: 'Bytes', base: 20_000, spread: 400_000 },
  NetworkOut: { unit: 'Bytes', base: 15_000, spread: 300_000 },
  StatusCheckFailed: { unit: 'Count', base: 0, spread: 0 },
  StatusCheckFailed_Instance: { unit: 'Count', base: 0, spread: 0 },
  StatusCheckFailed_System: { unit: 'Count', base: 0, spread: 0 },
  BurstCapacityTime: { unit: 'Seconds', base: 86_400, spread: 0 },
  BurstCapacityPercentage: { unit: 'Percent', base: 100, spread: 0 },
  MetadataNoToken: { unit: 'Count', base: 0, spread: 0 },
};

const STATISTICS = new Set(['Minimum', 'Maximum', 'Sum', 'Average', 'SampleCount']);
const MAX_DATAPOINTS = 1440;

/** The same instance, metric and minute always give the same figure, so graphs do not flicker between calls. */
function sample(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

export function getInstanceMetricData(account: Account, call: Call, input: Input): unknown {
  const instance = findInstance(account, call, requiredString(input, 'instanceName'));
  const metricName = requiredString(input, 'metricName');
  const metric = METRICS[metricName];
  if (!metric) throw invalidInput(`The metric '${metricName}' is not valid. Use one of: ${Object.keys(METRICS).join(', ')}.`);
  const period = requiredNumber(input, 'period');
  if (!Number.isInteger(period) || period < 60 || period > 86_400 || period % 60 !== 0) {
    throw invalidInput(`period must be a multiple of 60 seconds from 60 to 86400, not ${period}.`);
  }
  const start = optionalTimestamp(input, 'startTime');
  const end = optionalTimestamp(input, 'endTime');
  if (start === undefined) throw invalidInput('Missing required parameter: startTime.');
  if (end === undefined) throw invalidInput('Missing required parameter: endTime.');
  if (end <= start) throw invalidInput('endTime must be after startTime.');
  const unit = requiredString(input, 'unit');
  if (unit !== metric.unit) throw invalidInput(`The unit for ${metricName} is ${metric.unit}, not ${unit}.`);
  const statistics = stringList(input, 'statistics', true);
  for (const s of statistics) if (!STATISTICS.has(s)) throw invalidInput(`The statistic '${s}' is not valid. Use one of: ${[...STATISTICS].join(', ')}.`);
  const periodMs = period * 1000;
  if ((end - start) / periodMs > MAX_DATAPOINTS) {
    throw invalidInput(`The request would return more than ${MAX_DATAPOINTS} datapoints; use a longer period or a shorter time range.`);
  }
  const from = Math.max(start, instance.createdAt);
  const until = Math.min(end, call.now);
  const metricData: Array<Record<string, unknown>> = [];
  for (let t = Math.ceil(from / periodMs) * periodMs; t < until; t += periodMs) {
    const samples = period / 60;
    const average = metric.base + metric.spread * sample(`${instance.arn}/${metricName}/${t}`);
    const peak = average + metric.spread * 0.5 * sample(`${instance.arn}/${metricName}/${t}/max`);
    const point: Record<string, unknown> = { timestamp: epochSeconds(t), unit: metric.unit };
    for (const s of statistics) {
      if (s === 'Average') point.average = average;
      if (s === 'Maximum') point.maximum = metric.unit === 'Percent' ? Math.min(100, peak) : peak;
      if (s === 'Minimum') point.minimum = Math.max(0, average - (peak - average));
      if (s === 'Sum') point.sum = average * samples;
      if (s === 'SampleCount') point.sampleCount = samples;
    }
    metricData.push(point);
  }
  return { metricName, metricData };
}

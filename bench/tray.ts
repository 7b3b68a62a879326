/**
 * The tray at scale: the menu (the core's model and the Electron template made
 * from it) rebuilt for 1,000 workspaces over 4 regions, against 10 as the
 * baseline; and how many events a second the notification policy decides
 * over 10,000 events, against 100.
 *
 *   npx tsx bench/tray.ts
 */
import { measureTray } from './support/tray-timing.js';
import { report } from './support/stats.js';

const us = (milliseconds: number) => `${Math.round(milliseconds * 1000)} µs`;
const perSecond = (rate: number) => Math.round(rate).toLocaleString('en-US');

const figures = measureTray([10, 1_000]);
const small = figures.build[10]!;
const large = figures.build[1_000]!;
report('Tray menu and notification policy', {
  'tray menu build, 10 workspaces (median, baseline)': us(small.median),
  'tray menu build, 1,000 workspaces (median / p95)': `${us(large.median)} / ${us(large.p95)}`,
  'tray menu build 1,000 / 10': `${(large.median / small.median).toFixed(2)}×`,
  'notification policy, 100 events (events per second, baseline)': perSecond(figures.policyBaselineEventsPerSecond),
  'notification policy, 10,000 events (events per second)': perSecond(figures.policyEventsPerSecond),
  'notification policy time per event 10,000 / 100': `${(figures.policyBaselineEventsPerSecond / figures.policyEventsPerSecond).toFixed(2)}×`,
});

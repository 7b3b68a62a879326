import {
  CloseInstancePublicPortsCommand,
  GetInstancePortStatesCommand,
  OpenInstancePublicPortsCommand,
  PutInstancePublicPortsCommand,
} from '@aws-sdk/client-lightsail';
import { portRuleToSdk, portStatusFromSdk } from './from-sdk.js';
import type { GatewayCalls } from './gateway-calls.js';
import type { Operation, PortRule, PortStatus } from './model.js';

/**
 * An instance's public ports. The three changes are safe to repeat: each
 * sets a rule rather than toggling it.
 */
export class FirewallCalls {
  constructor(readonly calls: GatewayCalls) {}

  putPublicPorts(region: string, instanceName: string, rules: PortRule[]): Promise<Operation[]> {
    return this.calls.mutate(
      { region, action: `set the firewall of instance "${instanceName}"`, operation: 'PutInstancePublicPorts', idempotent: true, resources: [instanceName] },
      (c) => c.send(new PutInstancePublicPortsCommand({ instanceName, portInfos: rules.map(portRuleToSdk) })),
    );
  }

  openPublicPorts(region: string, instanceName: string, rule: PortRule): Promise<Operation[]> {
    return this.calls.mutate(
      { region, action: `open ${describeRule(rule)} on instance "${instanceName}"`, operation: 'OpenInstancePublicPorts', idempotent: true, resources: [instanceName] },
      (c) => c.send(new OpenInstancePublicPortsCommand({ instanceName, portInfo: portRuleToSdk(rule) })),
    );
  }

  closePublicPorts(region: string, instanceName: string, rule: PortRule): Promise<Operation[]> {
    return this.calls.mutate(
      { region, action: `close ${describeRule(rule)} on instance "${instanceName}"`, operation: 'CloseInstancePublicPorts', idempotent: true, resources: [instanceName] },
      (c) => c.send(new CloseInstancePublicPortsCommand({ instanceName, portInfo: portRuleToSdk(rule) })),
    );
  }

  async getPortStates(region: string, instanceName: string): Promise<PortStatus[]> {
    const out = await this.calls.call(
      { region, action: `read the firewall of instance "${instanceName}"`, operation: 'GetInstancePortStates', idempotent: true, resources: [instanceName] },
      (c) => c.send(new GetInstancePortStatesCommand({ instanceName })),
    );
    return (out.portStates ?? []).map(portStatusFromSdk);
  }
}

function describeRule(rule: PortRule): string {
  const ports = rule.fromPort === rule.toPort ? `port ${rule.fromPort}` : `ports ${rule.fromPort}-${rule.toPort}`;
  return `${rule.protocol.toUpperCase()} ${ports}`;
}

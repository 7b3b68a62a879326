import { PortholeError } from '../errors.js';

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * This computer's public IPv4 address as an echo service sees it, for the
 * one firewall rule a workspace has: SSH from here only.
 */
export async function fetchPublicIp(echoUrl: string): Promise<string> {
  let text: string;
  try {
    const response = await fetch(echoUrl, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = (await response.text()).trim();
  } catch (error) {
    throw new PortholeError('network', `Could not learn this computer's public IP address from ${echoUrl} (${error instanceof Error ? error.message : String(error)}).`, {
      fix: 'Check the network connection, or set another IP echo URL in the settings.',
      cause: error,
    });
  }
  if (!IPV4.test(text)) {
    throw new PortholeError('network', `${echoUrl} answered "${text.slice(0, 40)}", which is not an IPv4 address.`, {
      fix: 'Set an IP echo URL that answers with the bare address, such as https://checkip.amazonaws.com.',
    });
  }
  return text;
}

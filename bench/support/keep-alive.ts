import { Agent, get } from 'node:http';

/** The time of each of `requests` GETs of `path` on one kept-alive loopback connection, one after another. */
export async function keepAliveLatencies(port: number, path: string, requests: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < requests; i++) {
      const start = performance.now();
      await new Promise<void>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path, agent }, (response) => {
          response.resume();
          response.on('end', resolve);
        }).once('error', reject);
      });
      samples.push(performance.now() - start);
    }
  } finally {
    agent.destroy();
  }
  return samples;
}

// Drives ingest-api with autocannon: first the bare baseline endpoint, then the real endpoint with a bearer
// token, a fresh Idempotency-Key and a fresh recipient on every request. Prints one JSON line per phase.
// Usage: node bench/ingest-load.mjs <base-url> <token> <connections> <seconds> <warmup-seconds>
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';

const [base, token, connections = '64', seconds = '20', warmup = '5'] = process.argv.slice(2);

function notification() {
  return JSON.stringify({
    userId: `bench-${randomUUID()}`,
    templateId: 'welcome',
    data: { name: 'Ana', product: 'Herald', order: { number: 'A-17', items: [{ title: 'Book' }] } },
    channels: ['email', 'push'],
    priority: 'normal',
    metadata: { campaign: 'bench' },
  });
}

function run(path, headers, duration) {
  return autocannon({
    url: base + path,
    connections: Number(connections),
    duration: Number(duration),
    requests: [{
      method: 'POST',
      setupRequest: (request) => ({
        ...request,
        headers: { 'content-type': 'application/json', ...headers(), },
        body: notification(),
      }),
    }],
  });
}

const phases = [
  ['baseline', '/bench/baseline', () => ({})],
  ['ingest', '/api/v1/notifications', () => ({ authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() })],
  // the same without an Idempotency-Key: shows what the key's two Redis round trips cost
  ['no-key', '/api/v1/notifications', () => ({ authorization: `Bearer ${token}` })],
];
for (const [name, path, headers] of phases) {
  await run(path, headers, warmup);
  const result = await run(path, headers, seconds);
  console.log(JSON.stringify({
    phase: name,
    requests: result.requests.total,
    perSecond: result.requests.average,
    accepted: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    seconds: result.duration,
  }));
}

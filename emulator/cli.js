#!/usr/bin/env node
// @ts-check
// node __tests__/emulator/cli.js [--host 127.0.0.1] [--port 0] [--metadata-host 100.100.100.200 --metadata-port 80]
//                                [--setup setup.json] [--time-scale 1] [--keep-alive-ms N] [--tls]
//                                [--token-delay-ms N]
// Prints one JSON line on stdout once listening: {url, stsHost, oidcRequestUrl, oidcRequestToken, metadataUrl?,
// jwksUrl, caFile? (with --tls), created}. Stops on SIGTERM/SIGINT, or on the admin call close.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startEmulator } from './server.js';

const USAGE =
  'usage: node cli.js [--host H] [--port N] [--metadata-host H] [--metadata-port N] [--setup FILE] [--time-scale X] [--keep-alive-ms N] [--tls] [--token-delay-ms N]';

/** @param {string | undefined} v @param {string} name */
function num(v, name) {
  if (v === undefined) return undefined;
  let n = Number(v);
  // Accept fractions like 1/300 for --time-scale.
  const frac = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(v);
  if (frac) n = Number(frac[1]) / Number(frac[2]);
  if (!Number.isFinite(n)) {
    process.stderr.write(`${name} must be a number\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'metadata-host': { type: 'string' },
        'metadata-port': { type: 'string' },
        setup: { type: 'string' },
        'time-scale': { type: 'string' },
        'keep-alive-ms': { type: 'string' },
        tls: { type: 'boolean' },
        'token-delay-ms': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : e}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const setup = values.setup ? JSON.parse(readFileSync(values.setup, 'utf8')) : {};
  const emulator = await startEmulator({
    host: values.host,
    port: num(values.port, '--port'),
    metadataHost: values['metadata-host'],
    metadataPort: num(values['metadata-port'], '--metadata-port'),
    timeScale: num(values['time-scale'], '--time-scale'),
    keepAliveTimeoutMs: num(values['keep-alive-ms'], '--keep-alive-ms'),
    tls: values.tls,
    tokenDelayMs: num(values['token-delay-ms'], '--token-delay-ms'),
  });
  const created = await emulator.applySetup(setup);
  const info = await emulator.info();
  process.stdout.write(`${JSON.stringify({ ...info, created })}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`emulator: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});

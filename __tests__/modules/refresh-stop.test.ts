// src/refresh/stop.ts: what the post step says when the refresh helper does not go away, against loopback servers of
// the test's own that play a helper which does not answer, and one which answers the stop request but keeps serving.
// The runner ends a job's leftover processes that carry its RUNNER_TRACKING_ID (actions/runner,
// src/Runner.Worker/JobExtension.cs, "Cleaning up orphan processes"); the helper carries it (start.ts), so the message
// may say so, and says what the helper does by itself.

import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { stopRefreshHelper } from '../../src/refresh/stop.js';

const PATH = `/${'ab12'.repeat(16)}`;
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function helperThat(answerStop: boolean): Promise<string> {
  server = createServer((req, res) => {
    // One that does not answer keeps the request open until the post step gives up on it (2 s).
    if (req.method === 'DELETE' && !answerStop) return;
    res.writeHead(req.method === 'DELETE' ? 202 : 404).end();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${PATH}`;
}

const UNTIL =
  /the runner ends it when the job completes \(it carries the job's RUNNER_TRACKING_ID\), and it stops by itself when the runner process ends or at its six-hour limit\.$/;

describe('stopRefreshHelper, when the helper does not go away', () => {
  it('one that answers the stop request but keeps serving: not stopped, and the message says what ends it', async () => {
    const url = await helperThat(true);
    const report = await stopRefreshHelper({ pid: 4242, url, stopToken: 'cd34'.repeat(16), logFile: '/nonexistent/x.log' }, undefined);
    expect(report.stopped).toBe(false);
    expect(report.message).toMatch(/^The refresh helper \(process 4242\) is still running; /);
    expect(report.message).toMatch(UNTIL);
  }, 15_000);

  it('one that does not answer: not stopped, and the same account of what ends it', async () => {
    const url = await helperThat(false);
    const report = await stopRefreshHelper({ pid: 4243, url, stopToken: 'cd34'.repeat(16), logFile: '/nonexistent/x.log' }, undefined);
    expect(report.stopped).toBe(false);
    expect(report.message).toMatch(/^The refresh helper \(process 4243\) did not answer the request to stop; /);
    expect(report.message).toMatch(UNTIL);
  }, 15_000);
});

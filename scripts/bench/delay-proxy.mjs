// An emulated WAN for `npm run bench`: a TCP forwarder on loopback in front of one upstream (the emulator's TLS
// listener). Every chunk, each way, reaches the other side half a round trip after it was sent, and a connection
// costs a round trip before the client's first bytes can leave, as with a real SYN / SYN-ACK:
//
//   t=0        the client connects (the local kernel accepts at once)
//   t=RTT/2    the SYN has arrived (the proxy connects upstream at once: the server waits for the client anyway)
//   t=RTT      the client's data may leave (the SYN-ACK has come back): bytes written earlier wait until then
//   +RTT/2     each chunk, and each end of stream, reaches the other side
//
// So a TCP + TLS 1.3 + HTTP request costs 3 RTTs, like a fresh HTTPS request to a far server. Order is kept per
// direction (one FIFO each way). Node built-ins only; loopback only.

import { connect, createServer } from 'node:net';

/**
 * @param {{ upstreamHost: string, upstreamPort: number, rttMs: number }} options
 * @returns {Promise<{ port: number, close(): Promise<void> }>}
 */
export async function startDelayProxy({ upstreamHost, upstreamPort, rttMs }) {
  const half = rttMs / 2;
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();
  const track = (/** @type {import('node:net').Socket} */ socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // reported to the other side as a destroy, below
  };

  const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    const accepted = performance.now();
    track(client);
    // Connected upstream at once rather than at RTT/2: the server has nothing to do before the client's bytes arrive.
    const upstream = connect({ host: upstreamHost, port: upstreamPort, allowHalfOpen: true, noDelay: true });
    track(upstream);
    forward(client, upstream, accepted + rttMs);
    forward(upstream, client, 0);
  });

  /** Calls `fn` after `ms`, unless the proxy is closed first. */
  function later(/** @type {number} */ ms, /** @type {() => void} */ fn) {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    timers.add(timer);
  }

  /**
   * Forwards `from` to `to`: what `from` sends after `notBefore` (performance.now() ms) arrives half an RTT later.
   * @param {import('node:net').Socket} from @param {import('node:net').Socket} to @param {number} notBefore
   */
  function forward(from, to, notBefore) {
    /** @type {{ at: number, chunk?: Buffer, end?: boolean, destroy?: boolean }[]} */
    const queue = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      while (queue.length && queue[0].at <= performance.now()) {
        const item = /** @type {(typeof queue)[number]} */ (queue.shift());
        if (to.destroyed) return;
        if (item.chunk) to.write(item.chunk);
        else if (item.end) to.end();
        else to.destroy();
      }
      schedule();
    };
    const schedule = () => {
      if (scheduled || !queue.length) return;
      scheduled = true;
      later(queue[0].at - performance.now(), flush);
    };
    const push = (/** @type {Omit<(typeof queue)[number], 'at'>} */ item) => {
      queue.push({ at: Math.max(performance.now(), notBefore) + half, ...item });
      schedule();
    };
    from.on('data', (chunk) => push({ chunk }));
    from.on('end', () => push({ end: true }));
    from.on('close', (hadError) => hadError && push({ destroy: true }));
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// Bundle entry of the main step (dist/main/index.js). With --refresh-helper the same bundle runs as the
// refresh helper, so the two share one copy of the STS SDK.
import { HELPER_FLAG } from './refresh/protocol.js';

if (process.argv[2] === HELPER_FLAG) {
  const { serveRefreshes } = await import('./refresh/helper.js');
  serveRefreshes();
} else {
  const { run } = await import('./main.js');
  await run();
}

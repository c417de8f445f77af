// Bundle entry of the main step (dist/main/index.js).
import { run } from './main.js';

await run();

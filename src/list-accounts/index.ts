// Bundle entry of list-accounts (dist/list-accounts/index.js).
import { run } from './main.js';

await run();

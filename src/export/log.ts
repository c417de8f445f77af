// The step log. Every message is one line (text.ts): a value in it can never start a workflow command.

import * as core from '@actions/core';
import { oneLine } from '../text.js';

export function info(message: string): void {
  core.info(oneLine(message));
}

// Applies a VariablePlan to the job: every later step sees these variables.

import * as core from '@actions/core';
import type { VariablePlan } from './variables.js';

export function exportVariables(plan: VariablePlan): void {
  for (const [name, value] of plan.set) core.exportVariable(name, value);
  for (const name of plan.blank) {
    core.exportVariable(name, '');
    core.info(`Cleared ${name} for the later steps: it would make Prowler and the SDKs use other credentials than these.`);
  }
}

// Applies a VariablePlan to the job: every later step sees these variables, and the log says what was cleared or
// set for which consumer.

import * as core from '@actions/core';
import { info } from './log.js';
import { IGNORE_PROFILE, type VariablePlan } from './variables.js';

export function exportVariables(plan: VariablePlan): void {
  for (const [name, value] of plan.set) core.exportVariable(name, value);
  for (const { name, diverts } of plan.blank) {
    core.exportVariable(name, '');
    info(`Cleared ${name} for the later steps: ${diverts}.`);
  }
  if (plan.set.has(IGNORE_PROFILE.name)) {
    info(
      `Set ${IGNORE_PROFILE.name}=${IGNORE_PROFILE.value}: the aliyun CLI would otherwise use the current profile of ~/.aliyun/config.json. ` +
        'It then takes the region from --region only (else cn-hangzhou); give `aliyun-profile` to keep `region`.',
    );
  }
}

import { assertAllowed } from '../domain/access-policy.js';
import type { Principal } from '../domain/principal.js';
import type { SlaPolicy } from '../domain/sla-policy.js';
import type { AppContext } from './context.js';
import { SLA_POLICY_SETTING } from './live-settings.js';

/**
 * An admin changes the SLA policy (the lights' thresholds, the escalation ladder, repeat offenders, complaints): kept
 * in the table and applied at once in every process. Returns the policy now in force.
 */
export async function changeSlaPolicy(
  ctx: AppContext,
  principal: Principal,
  policy: SlaPolicy,
): Promise<SlaPolicy> {
  assertAllowed(principal, 'admin.operate');
  await ctx.store.putSetting(SLA_POLICY_SETTING, policy);
  await ctx.settings.refresh(ctx.store, { force: true });
  return ctx.settings.sla;
}

import { allow, deny, hiddenBatch, isOverseer, type Resource, type Verdict } from './access-verdict.js';
import type { Principal } from './principal.js';

/** What is done with a batch of originals carried up to an upper-level department. */
export type BatchAction = 'batch.assemble' | 'batch.read' | 'batch.carry' | 'batch.collect';

/**
 * Agents assemble batches; a batch is seen by the agent who assembled it, the department it goes to, leaders and
 * admins; only its agent records carrying it up and collecting its approvals.
 */
export function decideBatchAction(principal: Principal, action: BatchAction, resource: Resource): Verdict {
  if (action === 'batch.assemble') {
    if (principal.role === 'agent') return allow;
    return deny('BATCH.AGENTS_ONLY', 'agents assemble batches of their projects’ upper-level steps');
  }
  const batch = resource.batch;
  const own = principal.role === 'agent' && batch?.agentId === principal.userId;
  // officers: those of the department it goes to (a district officer records an upper-level decision step by
  // step, through the step's decision)
  const seen =
    own ||
    isOverseer(principal) ||
    (principal.role === 'officer' && batch !== undefined && principal.departmentId === batch.departmentId);
  if (!batch || !seen) return hiddenBatch;
  if (action === 'batch.read' || own) return allow;
  return deny(
    'BATCH.NOT_YOUR_BATCH',
    'the agent who assembled a batch records carrying it up and collecting its approvals',
  );
}

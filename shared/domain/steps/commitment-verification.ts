import type { Verification } from '../commitment.js';
import { ConflictError } from '../errors.js';
import type { ProjectStep } from '../project.js';
import { changed, type EventDraft, type Transition } from '../transition.js';
import { type DecidedBy, itemOf, type LifecycleInput } from './lifecycle.js';
import { rewindFor } from './reopening.js';

/** What a revocation rests on when the officer names nothing more specific. */
export const REVOCATION_BASIS =
  '《中华人民共和国行政许可法》第六十九条；告知承诺制：申请人承诺内容与实际情况不符的，撤销审批决定，记入信用记录';

/**
 * The department records its verification of an approval given on the enterprise's commitment (核查). Passed: the
 * approval stands and nothing is watched any longer. Failed: the approval is revoked (撤销) through the decision
 * path: the step is closed as rejected with the outcome `revoked` and the finding as its reason, so the agent
 * re-applies it as a new round (a new submission, the revoked round kept in the record); the project is returned
 * at that step and its chain stops where it is (the application stops the running execution; the re-application
 * renews it).
 */
export function verifyCommitment(
  input: LifecycleInput,
  stepId: string,
  verification: Verification,
  by: DecidedBy,
): Transition {
  const { state, now } = input;
  const step = itemOf(input, stepId);
  const commitment = step.commitment;
  if (
    !commitment?.approvedAt ||
    commitment.verification ||
    (step.status !== 'approved' && step.status !== 'deemed_approved')
  ) {
    throw new ConflictError(
      'STEP.NO_COMMITMENT_TO_VERIFY',
      commitment?.verification
        ? `step ${stepId}'s commitment was verified already (${commitment.verification.result}); a verification is recorded once`
        : `step ${stepId} has no approval on a commitment (告知承诺制) waiting for verification`,
      { status: step.status },
    );
  }
  const at = now.toISOString();
  const record = {
    result: verification.result,
    findings: verification.findings,
    ...(verification.legalBasis ? { legalBasis: verification.legalBasis } : {}),
    at,
    by: by.userId,
  };
  const { slaCheckAt: _c, ...rest } = step;
  const verified = { ...commitment, verification: record };
  if (verification.result === 'passed') {
    return {
      changes: [changed(step, { ...rest, commitment: verified, updatedAt: at })],
      events: [
        {
          type: 'commitment_verified',
          stepId,
          after: { result: 'passed' },
          data: { findings: verification.findings, verifyBy: commitment.verifyBy },
        },
      ],
      owed: [],
      relies: [],
    };
  }
  const { project } = state;
  if (project.status !== 'active' && project.status !== 'returned') {
    throw new ConflictError(
      'PROJECT.NOT_IN_FLIGHT',
      `the project is ${project.status}; a failed verification can return only an active or returned project`,
      { status: project.status },
    );
  }
  const legalBasis = verification.legalBasis ?? REVOCATION_BASIS;
  const revoked: ProjectStep = {
    ...rest,
    commitment: verified,
    status: 'rejected',
    outcome: 'revoked',
    reason: `告知承诺核查不符：${verification.findings}`,
    legalBasis,
    decidedAt: at,
    decidedBy: by.userId,
    updatedAt: at,
  };
  const returns = project.status === 'active';
  const events: EventDraft[] = [
    {
      type: 'approval_revoked',
      stepId,
      before: { status: step.status, outcome: step.outcome ?? step.status },
      after: { status: 'rejected', outcome: 'revoked' },
      data: { findings: verification.findings, legalBasis, verifyBy: commitment.verifyBy },
    },
    ...(returns
      ? [
          {
            type: 'project_returned' as const,
            stepId,
            before: { status: 'active' },
            after: { status: 'returned' },
          },
        ]
      : []),
  ];
  if (project.execution && !project.executionEndedAt) {
    events.push({
      type: 'chain_stopped',
      data: { stageIndex: project.execution.stageIndex, reason: 'an approval was revoked' },
    });
  }
  const rewind = rewindFor(
    input,
    [changed(step, revoked)],
    stepId,
    `第 ${stepId} 项审批经告知承诺核查不符已撤销`,
  );
  return {
    changes: rewind.changes,
    events: [...events, ...rewind.events],
    project: {
      add: { stepsClosed: -rewind.reopenedSteps },
      set: {
        ...(returns ? { status: 'returned' as const, returnedAt: at } : {}),
        ...(project.execution ? { executionEndedAt: at } : {}),
        ...rewind.set,
      },
      remove: ['renewAt'],
      expect: { status: project.status, executionName: project.execution?.name ?? null },
    },
    owed: [],
    relies: [],
  };
}

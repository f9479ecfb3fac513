import { z } from 'zod';
import { MissingMaterialSchema } from './decision.js';
import { ConflictError, InvalidInputError } from './errors.js';
import type { StepStatus } from './step-status.js';
import { InstantSchema } from './time.js';

/**
 * Joint review meetings (联审会, DOMAIN.md "Joint review meeting"): convened by a leader (or a stage's lead
 * department) for the steps of one or more projects; the departments concerned are invited, confirm or send leave;
 * attendance is taken; each agenda item gets a minuted decision that binds the step as if its department had
 * decided; a department absent without leave is deemed to consent (缺席默认); one on leave is not bound.
 */

export const MeetingStatusSchema = z.enum([
  'requested',
  'proposed',
  'scheduled',
  'declined',
  'minuted',
  /** called off before it was minuted, with a reason (everyone invited is told) */
  'cancelled',
]);
export type MeetingStatus = z.infer<typeof MeetingStatusSchema>;

export const AgendaItemSchema = z.object({
  itemId: z.string(),
  projectId: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  /** who may see the meeting for this item: the project's agent and enterprise */
  agentId: z.string(),
  enterpriseId: z.string(),
  stepId: z.string(),
  partId: z.string().optional(),
  stepName: z.string(),
  departmentId: z.string(),
  note: z.string().optional(),
});
export type AgendaItem = z.infer<typeof AgendaItemSchema>;

/** A decision a meeting minutes on an agenda item (not "not applicable": that is a department's call). */
export const MinutedDecisionSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('approved'), comment: z.string().max(2000).optional() }),
  z.strictObject({
    outcome: z.literal('approved_with_conditions'),
    conditions: z.array(z.string().min(1).max(500)).min(1).max(50),
    comment: z.string().max(2000).optional(),
  }),
  z.strictObject({
    outcome: z.literal('supplement'),
    missingMaterials: z.array(MissingMaterialSchema).min(1).max(50),
    comment: z.string().max(2000).optional(),
  }),
  z.strictObject({
    outcome: z.literal('rejected'),
    legalBasis: z.string().min(1).max(1000),
    reason: z.string().min(1).max(2000),
  }),
  /** the department decided the step before the meeting could: the meeting takes note (会议知悉) and decides nothing */
  z.strictObject({ outcome: z.literal('noted'), comment: z.string().max(2000).optional() }),
]);
export type MinutedDecision = z.infer<typeof MinutedDecisionSchema>;

/** How a minuted decision bound its step: the department agreed in the room, was deemed to, or was excused. */
export const BindingSchema = z.enum(['present', 'absent_consent', 'on_leave_deferred']);
export type Binding = z.infer<typeof BindingSchema>;

export const MeetingSchema = z.object({
  meetingId: z.string(),
  version: z.number().int(),
  status: MeetingStatusSchema,
  title: z.string(),
  /** why it was requested or proposed (an agent's request, an escalation) */
  reason: z.string().optional(),
  convenedBy: z
    .object({ userId: z.string(), name: z.string(), role: z.string(), departmentId: z.string().optional() })
    .optional(),
  requestedBy: z.object({ userId: z.string(), name: z.string(), role: z.string() }).optional(),
  scheduledAt: InstantSchema.optional(),
  place: z.string().optional(),
  agenda: z.array(AgendaItemSchema),
  invited: z.array(z.string()),
  responses: z.record(
    z.string(),
    z.object({
      answer: z.enum(['attend', 'leave']),
      reason: z.string().optional(),
      by: z.string(),
      at: InstantSchema,
    }),
  ),
  attendance: z
    .object({
      present: z.array(z.string()),
      onLeave: z.array(z.string()),
      absent: z.array(z.string()),
      at: InstantSchema,
      by: z.string(),
    })
    .optional(),
  minutes: z
    .object({
      number: z.string(),
      at: InstantSchema,
      by: z.string(),
      items: z.array(
        z.object({ itemId: z.string(), decision: MinutedDecisionSchema, binding: BindingSchema }),
      ),
    })
    .optional(),
  declined: z.object({ reason: z.string(), by: z.string(), at: InstantSchema }).optional(),
  cancelled: z.object({ reason: z.string(), by: z.string(), at: InstantSchema }).optional(),
  /** every move of its time or place, oldest first (痕迹管理: the earlier time stays on record) */
  reschedules: z
    .array(
      z.object({
        from: InstantSchema,
        to: InstantSchema,
        placeBefore: z.string().optional(),
        place: z.string().optional(),
        reason: z.string(),
        by: z.string(),
        at: InstantSchema,
      }),
    )
    .optional(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type Meeting = z.infer<typeof MeetingSchema>;

/** The most agenda items one meeting takes (its minutes are written in one transaction). */
export const MAX_AGENDA_ITEMS = 8;

export const ScheduleSchema = z.strictObject({
  scheduledAt: z.string().datetime({ offset: true }),
  place: z.string().trim().min(1).max(200),
});

export const RescheduleSchema = z.strictObject({
  scheduledAt: z.string().datetime({ offset: true }),
  place: z.string().trim().min(1).max(200).optional(),
  reason: z.string().trim().min(1, 'say why the meeting moves (reason)').max(500),
});

export const CancellationSchema = z.strictObject({
  reason: z.string().trim().min(1, 'say why the meeting is cancelled (reason)').max(500),
});

/** A meeting is set for a time still to come: a time already past is a mistake, not a plan. */
export function assertInFuture(scheduledAt: string, now: Date): void {
  if (Date.parse(scheduledAt) <= now.getTime()) {
    throw new InvalidInputError(
      'MEETING.TIME_PAST',
      `scheduledAt ${scheduledAt} is not in the future: a meeting is scheduled for a time still to come`,
    );
  }
}

/** Attendance and minutes are taken from the meeting's start, never before it. */
function assertStarted(meeting: Meeting, now: string, action: string): void {
  if (meeting.scheduledAt && Date.parse(now) < Date.parse(meeting.scheduledAt)) {
    throw new ConflictError(
      'MEETING.NOT_STARTED',
      `the meeting has not started yet (scheduled for ${meeting.scheduledAt}); ${action} from its start`,
      { scheduledAt: meeting.scheduledAt },
    );
  }
}

/**
 * What a joint review meeting may decide: a step or part in review at its department. One waiting for the
 * applicant (补正) is the applicant's move, not the departments'. Returns why not, or undefined.
 */
export function agendaRefusal(status: StepStatus): string | undefined {
  if (status === 'in_review') return undefined;
  if (status === 'supplement_requested') {
    return 'it waits for the applicant to supplement (补正): a meeting decides only what is under review; put it on the agenda once resubmitted';
  }
  return `it is ${status}; a meeting decides steps under review`;
}

/** A meeting that may still be answered and held. */
const open = (meeting: Meeting, action: string): void => {
  if (meeting.status !== 'scheduled') {
    throw new ConflictError(
      'MEETING.NOT_SCHEDULED',
      `the meeting is ${meeting.status}; it cannot ${action}`,
      {
        status: meeting.status,
      },
    );
  }
};

/** A leader schedules a requested or proposed meeting, or declines it with a reason. */
export function answerRequest(
  meeting: Meeting,
  answer: { accept: true; scheduledAt: string; place: string } | { accept: false; reason: string },
  by: string,
  at: string,
): Meeting {
  if (meeting.status !== 'requested' && meeting.status !== 'proposed') {
    throw new ConflictError(
      'MEETING.NOT_REQUESTED',
      `the meeting is ${meeting.status}; only a requested or proposed meeting is accepted or declined`,
    );
  }
  if (answer.accept) {
    assertInFuture(answer.scheduledAt, new Date(at));
    return {
      ...meeting,
      status: 'scheduled',
      scheduledAt: answer.scheduledAt,
      place: answer.place,
      updatedAt: at,
    };
  }
  return { ...meeting, status: 'declined', declined: { reason: answer.reason, by, at }, updatedAt: at };
}

/** The convener moves a scheduled meeting (not yet held) to a later time or another place, with a reason. */
export function reschedule(
  meeting: Meeting,
  change: { scheduledAt: string; place?: string; reason: string },
  by: string,
  now: Date,
): Meeting {
  open(meeting, 'be rescheduled');
  if (meeting.attendance) {
    throw new ConflictError(
      'MEETING.HELD',
      'the meeting has been held (attendance taken); minute it instead',
    );
  }
  assertInFuture(change.scheduledAt, now);
  const at = now.toISOString();
  return {
    ...meeting,
    scheduledAt: change.scheduledAt,
    ...(change.place ? { place: change.place } : {}),
    reschedules: [
      ...(meeting.reschedules ?? []),
      {
        from: meeting.scheduledAt ?? at,
        to: change.scheduledAt,
        ...(meeting.place ? { placeBefore: meeting.place } : {}),
        ...(change.place ? { place: change.place } : {}),
        reason: change.reason,
        by,
        at,
      },
    ],
    updatedAt: at,
  };
}

/** The convener (or a leader) calls off a meeting not yet minuted, with a reason. */
export function cancel(meeting: Meeting, reason: string, by: string, at: string): Meeting {
  if (meeting.status !== 'scheduled' && meeting.status !== 'requested' && meeting.status !== 'proposed') {
    throw new ConflictError(
      'MEETING.NOT_CANCELLABLE',
      `the meeting is ${meeting.status}; only a meeting not yet minuted can be cancelled`,
      { status: meeting.status },
    );
  }
  return { ...meeting, status: 'cancelled', cancelled: { reason, by, at }, updatedAt: at };
}

/** An invited department confirms it attends or sends leave (with a reason). */
export function respond(
  meeting: Meeting,
  departmentId: string,
  answer: { answer: 'attend' } | { answer: 'leave'; reason: string },
  by: string,
  at: string,
): Meeting {
  open(meeting, 'be answered');
  if (!meeting.invited.includes(departmentId)) {
    throw new ConflictError(
      'MEETING.NOT_INVITED',
      `department ${departmentId} is not invited to this meeting`,
    );
  }
  return {
    ...meeting,
    responses: {
      ...meeting.responses,
      [departmentId]: {
        answer: answer.answer,
        ...(answer.answer === 'leave' ? { reason: answer.reason } : {}),
        by,
        at,
      },
    },
    updatedAt: at,
  };
}

/** Attendance at the meeting: who came; those who sent leave are excused; the others are absent without leave. */
export function takeAttendance(
  meeting: Meeting,
  present: readonly string[],
  by: string,
  at: string,
): Meeting {
  open(meeting, 'take attendance');
  assertStarted(meeting, at, 'take attendance');
  const strangers = present.filter((d) => !meeting.invited.includes(d));
  if (strangers.length > 0) {
    throw new InvalidInputError(
      'MEETING.PRESENT_NOT_INVITED',
      `not invited, so not counted present: ${strangers.join(', ')}`,
    );
  }
  const onLeave = meeting.invited.filter(
    (d) => !present.includes(d) && meeting.responses[d]?.answer === 'leave',
  );
  const absent = meeting.invited.filter((d) => !present.includes(d) && !onLeave.includes(d));
  return {
    ...meeting,
    attendance: { present: [...new Set(present)], onLeave, absent, at, by },
    updatedAt: at,
  };
}

/**
 * How each minuted decision binds its step: a department present agreed in the room; one absent without leave is
 * deemed to consent (缺席默认); one on leave is not bound and its step stays with it (deferred).
 */
export function bindingsOf(
  meeting: Meeting,
  decisions: ReadonlyArray<{ itemId: string; decision: MinutedDecision }>,
): Array<{ item: AgendaItem; decision: MinutedDecision; binding: Binding }> {
  if (!meeting.attendance) {
    throw new ConflictError('MEETING.NO_ATTENDANCE', 'take the attendance before minuting the decisions');
  }
  const attendance = meeting.attendance;
  const ids = decisions.map((d) => d.itemId);
  const twice = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (twice.length > 0) {
    throw new InvalidInputError(
      'MEETING.DUPLICATE_DECISION',
      `one decision per agenda item: item ${twice.slice(0, 5).join(', ')} is minuted more than once`,
    );
  }
  const byId = new Map(meeting.agenda.map((item) => [item.itemId, item]));
  const unknown = decisions.filter((d) => !byId.has(d.itemId)).map((d) => d.itemId);
  if (unknown.length > 0) {
    throw new InvalidInputError(
      'MEETING.UNKNOWN_ITEM',
      `not on the agenda: ${unknown.slice(0, 5).join(', ')}`,
    );
  }
  const missing = meeting.agenda.filter((item) => !decisions.some((d) => d.itemId === item.itemId));
  if (missing.length > 0) {
    throw new InvalidInputError(
      'MEETING.ITEM_UNDECIDED',
      `minute a decision for every agenda item; missing: ${missing.map((i) => `${i.projectCode} step ${i.stepId}`).join('; ')}`,
    );
  }
  return decisions.map(({ itemId, decision }) => {
    const item = byId.get(itemId) as AgendaItem;
    const binding: Binding = attendance.present.includes(item.departmentId)
      ? 'present'
      : attendance.onLeave.includes(item.departmentId)
        ? 'on_leave_deferred'
        : 'absent_consent';
    return { item, decision, binding };
  });
}

/** The minutes once written. */
export function minuted(
  meeting: Meeting,
  items: ReadonlyArray<{ item: AgendaItem; decision: MinutedDecision; binding: Binding }>,
  number: string,
  by: string,
  at: string,
): Meeting {
  open(meeting, 'be minuted');
  assertStarted(meeting, at, 'minute it');
  return {
    ...meeting,
    status: 'minuted',
    minutes: {
      number,
      at,
      by,
      items: items.map((i) => ({ itemId: i.item.itemId, decision: i.decision, binding: i.binding })),
    },
    updatedAt: at,
  };
}

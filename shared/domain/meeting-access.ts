import { allow, deny, hiddenMeeting, isOverseer, type Resource, type Verdict } from './access-verdict.js';
import { canSeeMeeting } from './meeting-visibility.js';
import type { Principal } from './principal.js';

/** What is done with a joint review meeting (联审会). */
export type MeetingAction =
  | 'meeting.convene'
  | 'meeting.request'
  | 'meeting.answer_request'
  | 'meeting.respond'
  | 'meeting.run'
  | 'meeting.read';

/** Who convenes, requests, answers, runs and reads joint review meetings. */
export function decideMeetingAction(
  principal: Principal,
  action: MeetingAction,
  resource: Resource,
): Verdict {
  const meeting = resource.meeting;
  switch (action) {
    case 'meeting.convene':
      // a leader; or a stage's lead department, for the steps of the stages it leads (the use case checks which)
      if (isOverseer(principal) || principal.role === 'officer') return allow;
      return deny(
        'MEETING.CONVENE_FORBIDDEN',
        'a leader or a stage lead department convenes meetings; an agent may request one',
      );
    case 'meeting.request':
      if (principal.role === 'agent') return allow;
      return deny('MEETING.REQUEST_FORBIDDEN', 'agents request meetings for their projects');
    case 'meeting.answer_request':
      if (isOverseer(principal)) return allow;
      return deny('MEETING.ANSWER_FORBIDDEN', 'a leader accepts or declines a requested meeting');
    case 'meeting.respond':
      if (!meeting || !canSeeMeeting(principal, meeting)) return hiddenMeeting;
      if (
        principal.role === 'officer' &&
        principal.departmentId &&
        meeting.invited.includes(principal.departmentId)
      ) {
        return allow;
      }
      return deny('MEETING.RESPOND_FORBIDDEN', "only an invited department's officer answers an invitation");
    case 'meeting.run':
      if (!meeting || !canSeeMeeting(principal, meeting)) return hiddenMeeting;
      if (isOverseer(principal)) return allow;
      if (principal.role === 'officer' && principal.departmentId === meeting.convenedBy?.departmentId)
        return allow;
      return deny(
        'MEETING.RUN_FORBIDDEN',
        'the convener (a leader or the convening lead department) runs the meeting',
      );
    case 'meeting.read':
      return meeting && canSeeMeeting(principal, meeting) ? allow : hiddenMeeting;
  }
}

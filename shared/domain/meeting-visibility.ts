import type { Meeting } from './meeting.js';
import type { Principal } from './principal.js';

/** Leaders see every meeting; departments those they are invited to or convened; agents and investors theirs. */
export function canSeeMeeting(principal: Principal, meeting: Meeting): boolean {
  switch (principal.role) {
    case 'leader':
    case 'admin':
      return true;
    case 'officer':
      return (
        principal.departmentId !== undefined &&
        (meeting.invited.includes(principal.departmentId) ||
          meeting.convenedBy?.departmentId === principal.departmentId)
      );
    case 'agent':
      return (
        meeting.requestedBy?.userId === principal.userId ||
        meeting.agenda.some((i) => i.agentId === principal.userId)
      );
    case 'investor':
      return meeting.agenda.some((i) => i.enterpriseId === principal.enterpriseId);
    case 'efficiency':
      return false;
  }
}

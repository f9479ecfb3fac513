import { allow, deny, hiddenComplaint, type Resource, type Verdict } from './access-verdict.js';
import { canSeeComplaint } from './complaint.js';
import type { Principal } from './principal.js';

/** What is done with an efficiency complaint (行政效能投诉). */
export type ComplaintAction = 'complaint.file' | 'complaint.read' | 'complaint.handle';

/** The project's investor or agent files a complaint; the efficiency office (效能办) handles it. */
export function decideComplaintAction(
  principal: Principal,
  action: ComplaintAction,
  resource: Resource,
): Verdict {
  const complaint = resource.complaint;
  switch (action) {
    case 'complaint.file':
      // the project is visible (checked by `decide`): an agent's own project, an investor's enterprise's
      if (principal.role === 'agent' || principal.role === 'investor') return allow;
      return deny(
        'COMPLAINT.FILE_FORBIDDEN',
        "efficiency complaints are filed by the project's investor or agent",
      );
    case 'complaint.read':
      return complaint && canSeeComplaint(principal, complaint) ? allow : hiddenComplaint;
    case 'complaint.handle':
      if (!complaint || !canSeeComplaint(principal, complaint)) return hiddenComplaint;
      if (principal.role === 'efficiency') return allow;
      return deny('COMPLAINT.HANDLE_FORBIDDEN', 'the efficiency office (效能办) handles complaints');
  }
}

import { allow, deny, isOverseer, type Verdict } from './access-verdict.js';
import type { Principal } from './principal.js';

/** Reading the district's reports and exports, and running it (chains, users, calendar, SLA policy). */
export type OversightAction =
  | 'reports.read'
  | 'reports.read_credit'
  | 'reports.read_weekly'
  | 'exports.read'
  | 'chain.publish'
  | 'admin.operate';

/** Who reads reports, credit records, the weekly report and exports, and who administers the district. */
export function decideOversightAction(principal: Principal, action: OversightAction): Verdict {
  switch (action) {
    case 'reports.read':
      // leaders and admins read every row; officers their department's, agents their own (the use case filters)
      if (principal.role === 'investor')
        return deny('REPORTS.FORBIDDEN', 'reports are for the service centre, departments and agents');
      return allow;
    case 'reports.read_credit':
      if (isOverseer(principal) || principal.role === 'efficiency') return allow;
      return deny(
        'REPORTS.CREDIT_FORBIDDEN',
        "enterprises' credit records are for leaders and the efficiency office",
      );
    case 'reports.read_weekly':
      // the weekly report ranks every department: the service centre's leaders receive it (DOMAIN.md)
      if (isOverseer(principal) || principal.role === 'efficiency') return allow;
      return deny(
        'REPORTS.WEEKLY_FORBIDDEN',
        'the weekly report is for leaders, the efficiency office and admins',
      );
    case 'exports.read':
      // every project's approvals at once (开放数据 for the national platform and the statistics office)
      if (isOverseer(principal)) return allow;
      return deny('EXPORTS.FORBIDDEN', "the district's open-data exports are for leaders and admins");
    case 'chain.publish':
    case 'admin.operate':
      if (principal.role === 'admin') return allow;
      return deny('ADMIN.ONLY', 'only an admin may do this');
  }
}

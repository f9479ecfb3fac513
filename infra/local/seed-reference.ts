import { validateChain } from '../../shared/domain/chain-validation.js';
import { withCreditCodeCheck } from '../../shared/domain/credit-code.js';
import type { User } from '../../shared/domain/project.js';
import { referenceDepartments } from '../../shared/domain/reference/departments.js';
import { referenceChainVersions } from '../../shared/domain/reference/industrial-chain.js';
import type { DaibanStore } from '../../shared/store/store.port.js';

/** Enterprises of the demo (统一社会信用代码 with a valid check character). */
export const demoEnterprises = {
  jinling: { name: '南京金陵智能装备有限公司', creditCode: withCreditCodeCheck('91320115MA1WX0001') },
  qinhuai: { name: '秦淮新材料科技股份有限公司', creditCode: withCreditCodeCheck('91320115MA2AB0002') },
  yangtze: { name: '扬子江生物医药有限公司', creditCode: withCreditCodeCheck('91320115MA3CD0003') },
} as const;

/** The seeded users: two agents, an officer for every department, investors, a leader, the efficiency office, an admin. */
export function seedUsers(): User[] {
  return [
    {
      userId: 'agent-wang',
      name: '王代办',
      role: 'agent',
      phone: '138-0000-1001',
      email: 'wang@daiban.local',
    },
    { userId: 'agent-li', name: '李代办', role: 'agent', phone: '138-0000-1002', email: 'li@daiban.local' },
    ...referenceDepartments.map<User>((d) => ({
      userId: `officer-${d.id.toLowerCase()}`,
      name: `${d.name}窗口`,
      role: 'officer',
      departmentId: d.id,
      phone: d.phone,
    })),
    {
      userId: 'investor-jinling',
      name: '金陵智能 投资方',
      role: 'investor',
      enterpriseId: demoEnterprises.jinling.creditCode,
    },
    {
      userId: 'investor-qinhuai',
      name: '秦淮新材料 投资方',
      role: 'investor',
      enterpriseId: demoEnterprises.qinhuai.creditCode,
    },
    { userId: 'leader-zhang', name: '张主任（政务服务中心）', role: 'leader' },
    { userId: 'efficiency-office', name: '区效能办', role: 'efficiency' },
    { userId: 'admin', name: '系统管理员', role: 'admin' },
  ];
}

/**
 * Seeds the departments and the reference chain's versions. Idempotent: it writes the same items again, so it runs
 * on every start. Users are not reference data: demo mode seeds `seedUsers()` with the demo password, production
 * mode only the first admin (see installation.ts).
 */
export async function seedReferenceData(store: DaibanStore): Promise<void> {
  for (const department of referenceDepartments) await store.putDepartment(department);
  for (const version of referenceChainVersions) {
    const existing = await store.getChain(version.id, version.version);
    if (!existing) await store.putChain(validateChain(version, referenceDepartments));
  }
}

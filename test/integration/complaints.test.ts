import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { beijing } from '../support/beijing-time.js';
import { registerProject, startOnClock } from '../support/clocked-system.js';
import type { ApiClient } from '../support/local-system.js';

const PERIOD = '?from=2026-11&to=2026-12';

describe('efficiency complaints (行政效能投诉)', () => {
  // Thursday 26 November 2026, 09:00 in Beijing
  const clock = new ManualClock(beijing('2026-11-26 09:00'));
  let system: LocalSystem;
  let api: ApiClient;
  let projectId: string;
  const drcRow = async () => {
    const report = await api.get(`/reports/departments${PERIOD}`, 'efficiency-office');
    expect(report.status).toBe(200);
    return {
      headline: report.body.headline as string,
      row: report.body.departments.find((d: any) => d.departmentId === 'DRC'),
    };
  };
  const sweepAt = async (text: string) => {
    clock.set(beijing(text));
    return system.runJob();
  };

  beforeAll(async () => {
    ({ system, api } = await startOnClock(clock));
    projectId = await registerProject({ system, api });
  });
  afterAll(async () => {
    await system.stop();
  });

  describe('filed by the investor, handled and closed on time', () => {
    let complaintId: string;

    it('files a complaint about the filing window, due in five working days', async () => {
      // Act
      const res = await api.post(`/projects/${projectId}/steps/1/complaints`, 'investor-jinling', {
        category: 'shifting_responsibility',
        description: '窗口称项目代码须先到自然资源局开具证明，与办事指南不符',
      });

      // Assess
      expect(res.status).toBe(201);
      complaintId = res.body.complaint.complaintId;
      expect(res.body.complaint).toMatchObject({
        number: '效能投诉〔2026〕第0001号',
        departmentId: 'DRC',
        stepId: '1',
        status: 'filed',
        limitDays: 5,
        dueDate: '2026-12-03',
        complainant: { userId: 'investor-jinling', role: 'investor' },
      });
      const inbox = await api.get('/me/notifications', 'efficiency-office');
      expect(inbox.body.notifications[0]).toMatchObject({ kind: 'complaint' });
    });

    it('shows the department what is complained of, never who complained', async () => {
      // Act
      const list = await api.get('/complaints', 'officer-drc');
      const one = await api.get(`/complaints/${complaintId}`, 'officer-drc');
      const told = await api.get('/me/notifications', 'officer-drc');

      // Assess
      expect(list.body.complaints.map((c: any) => c.complaintId)).toEqual([complaintId]);
      expect(one.body.complaint.complainant).toBeUndefined();
      for (const text of [JSON.stringify(list.body), JSON.stringify(one.body), JSON.stringify(told.body)]) {
        expect(text).not.toContain('investor-jinling');
        expect(text).not.toContain('金陵智能 投资方');
      }
    });

    it('lets only the efficiency office move it on, one stage at a time', async () => {
      // Act
      const byOfficer = await api.post(`/complaints/${complaintId}/acknowledgement`, 'officer-drc', {});
      const byLeader = await api.post(`/complaints/${complaintId}/acknowledgement`, 'leader-zhang', {});
      const byOtherInvestor = await api.get(`/complaints/${complaintId}`, 'investor-qinhuai');
      const closedTooSoon = await api.post(`/complaints/${complaintId}/closure`, 'efficiency-office', {
        finding: 'upheld',
        actionTaken: '约谈窗口负责人',
      });

      // Assess
      expect(byOfficer.status).toBe(403);
      expect(byLeader.status).toBe(403);
      expect(byOtherInvestor.status).toBe(404);
      expect(closedTooSoon.status).toBe(409);
      expect(closedTooSoon.body.error.message).toContain('filed and not yet acknowledged');
    });

    it('is acknowledged, investigated and closed with a finding within its limit', async () => {
      // Prepare
      clock.set(beijing('2026-11-27 10:00'));

      // Act
      const acknowledged = await api.post(`/complaints/${complaintId}/acknowledgement`, 'efficiency-office', {
        note: '已登记',
      });
      const investigating = await api.post(`/complaints/${complaintId}/investigation`, 'efficiency-office', {
        note: '调取窗口记录，询问经办人',
      });
      clock.set(beijing('2026-12-01 16:00'));
      const closed = await api.post(`/complaints/${complaintId}/closure`, 'efficiency-office', {
        finding: 'upheld',
        actionTaken: '责令发改局窗口当日受理，约谈窗口负责人并通报',
      });

      // Assess
      expect(acknowledged.body.complaint.status).toBe('acknowledged');
      expect(investigating.body.complaint.status).toBe('investigating');
      expect(closed.status).toBe(200);
      expect(closed.body.complaint).toMatchObject({
        status: 'closed',
        finding: 'upheld',
        closedOnTime: true,
      });
    });

    it('shows the complainant every stage of its progress', async () => {
      // Act
      const mine = await api.get('/complaints', 'investor-jinling');
      const notes = await api.get('/me/notifications', 'investor-jinling');

      // Assess
      const complaint = mine.body.complaints[0];
      expect(complaint.record.map((r: any) => r.status)).toEqual([
        'filed',
        'acknowledged',
        'investigating',
        'closed',
      ]);
      expect(complaint.actionTaken).toContain('约谈窗口负责人');
      expect(notes.body.notifications.map((n: any) => n.title)).toEqual(
        expect.arrayContaining([expect.stringContaining('投诉已办结')]),
      );
    });

    it('reports the department’s complaints, the upheld rate and the on-time closure rate', async () => {
      // Act
      const { headline, row } = await drcRow();

      // Assess
      expect(row).toMatchObject({
        complaints: 1,
        complaintsClosed: 1,
        complaintsUpheld: 1,
        complaintUpheldRate: 100,
        complaintOnTimeClosureRate: 100,
      });
      expect(headline).toContain('按时办结率 100%');
    });
  });

  describe('left open past its limit', () => {
    let complaintId: string;

    beforeAll(async () => {
      clock.set(beijing('2026-12-02 09:00'));
      // Wednesday 2 December: five working days end on Wednesday 9 December
      const res = await api.post(`/projects/${projectId}/steps/1/complaints`, 'agent-wang', {
        category: 'improper_demands',
        description: '窗口要求额外提供办事指南未列明的银行资信证明',
      });
      complaintId = res.body.complaint.complaintId;
      expect(res.body.complaint.dueDate).toBe('2026-12-09');
    });

    it('turns red and goes to the efficiency office the day after its due date', async () => {
      // Act
      const report = await sweepAt('2026-12-10 09:00');

      // Assess
      expect(report.sla).toBe(3);
      const complaint = (await api.get(`/complaints/${complaintId}`, 'efficiency-office')).body.complaint;
      expect(complaint).toMatchObject({ light: 'red', escalationLevel: 1, status: 'filed' });
      const inbox = await api.get('/me/notifications', 'efficiency-office');
      expect(inbox.body.notifications.map((n: any) => n.kind)).toEqual(
        expect.arrayContaining(['breach', 'escalation']),
      );
    });

    it('changes nothing when swept again at the same instant', async () => {
      // Prepare
      const before = (await api.get(`/complaints/${complaintId}`, 'efficiency-office')).body.complaint;

      // Act
      const report = await sweepAt('2026-12-10 09:00');

      // Assess
      expect(report.sla).toBe(0);
      expect((await api.get(`/complaints/${complaintId}`, 'efficiency-office')).body.complaint).toEqual(
        before,
      );
    });

    it('escalates to the leaders two working days later', async () => {
      // Act
      const report = await sweepAt('2026-12-11 09:00');

      // Assess
      expect(report.sla).toBe(1);
      const complaint = (await api.get(`/complaints/${complaintId}`, 'leader-zhang')).body.complaint;
      expect(complaint.escalationLevel).toBe(2);
      expect(complaint.record.at(-1).note).toContain('督办升级至区领导');
      const leader = await api.get('/me/notifications', 'leader-zhang');
      expect(leader.body.notifications[0]).toMatchObject({ kind: 'escalation' });
      expect(leader.body.notifications[0].title).toContain(complaint.number);
    });

    it('is closed late, and the closure rate shows it', async () => {
      // Prepare
      await api.post(`/complaints/${complaintId}/acknowledgement`, 'efficiency-office', {});
      await api.post(`/complaints/${complaintId}/investigation`, 'efficiency-office', {});

      // Act
      const closed = await api.post(`/complaints/${complaintId}/closure`, 'efficiency-office', {
        finding: 'not_upheld',
        actionTaken: '经核实，该证明系企业自愿提供，已向投诉人说明',
      });
      const { row } = await drcRow();

      // Assess
      expect(closed.body.complaint).toMatchObject({ closedOnTime: false, lateByDays: 2 });
      expect(row).toMatchObject({
        complaints: 2,
        complaintsClosed: 2,
        complaintsOverdue: 1,
        complaintUpheldRate: 50,
        complaintOnTimeClosureRate: 50,
      });
      const swept = await sweepAt('2026-12-31 09:00');
      expect(swept.sla).toBe(0);
    });
  });

  it('refuses a complaint from the efficiency office, about a milestone, or about a project one may not see', async () => {
    // Act
    const byEfficiency = await api.post(`/projects/${projectId}/steps/1/complaints`, 'efficiency-office', {
      category: 'delay',
      description: '效能办不能自己投诉自己',
    });
    const milestone = await api.post(`/projects/${projectId}/steps/31/complaints`, 'agent-wang', {
      category: 'delay',
      description: '施工完成是代办员自己报告的',
    });
    const foreign = await api.post(`/projects/${projectId}/steps/1/complaints`, 'investor-qinhuai', {
      category: 'delay',
      description: '不是我的项目，也想投诉一下',
    });

    // Assess
    expect(byEfficiency.status).toBe(404);
    expect(milestone.status).toBe(400);
    expect(foreign.status).toBe(404);
  });
});

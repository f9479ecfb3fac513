import { beforeAll, describe, expect, it } from 'vitest';
import { formatProjectCode } from '../../shared/domain/project-code.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { projectRegistration, submissionOf } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

const national = formatProjectCode({
  year: 2026,
  regionCode: '320115',
  industryCode: '47',
  typeCode: '01',
  serial: 96,
});

describe('open data: approvals by project code, and the weekly feed', () => {
  const t = useTestSystem();
  const ids = { filed: '', fresh: '' };
  /** an answer with its headers (the in-process client's answers carry none) */
  const raw = async (path: string, userId: string) => {
    const token = await t.system.tokens.issue(
      (await t.system.ctx.store.getUser(userId)) ?? (undefined as never),
    );
    return t.system.app.request(path, { headers: { authorization: `Bearer ${token}` } });
  };

  beforeAll(async () => {
    // one project filed with a national code and a document number a spreadsheet would take for a formula,
    // then one just registered (no approval yet)
    const filed = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '=HYPERLINK("http://x")智能装备, 一期' }),
    );
    ids.filed = filed.body.projectId;
    await t.system.engine.settled();
    await t.api.put(`/projects/${ids.filed}/code`, 'officer-drc', { code: national });
    await t.api.post(`/projects/${ids.filed}/steps/1/submission`, 'agent-wang', submissionOf('1'));
    await t.api.post(`/projects/${ids.filed}/steps/1/decision`, 'officer-drc', {
      outcome: 'approved',
      document: { number: '-江宁发改备〔2026〕"88"号', date: chinaDate(t.system.ctx.clock.now()) },
    });
    ids.fresh = (
      await t.api.post('/projects', 'agent-li', projectRegistration({ agentId: 'agent-li' }))
    ).body.projectId;
    await t.system.caughtUp();
  });

  it('gives leaders every approval as JSON Lines, keyed by the national project code, dates in China time', async () => {
    // Act
    const res = await raw('/exports/approvals.jsonl', 'leader-zhang');
    const text = await res.text();

    // Assess
    const rows = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/jsonl');
    expect(rows).toEqual([
      {
        projectCode: national,
        codeKind: 'national',
        projectName: '=HYPERLINK("http://x")智能装备, 一期',
        enterpriseName: projectRegistration().enterprise.name,
        enterpriseCreditCode: projectRegistration().enterprise.creditCode,
        stepId: '1',
        partId: null,
        step: expect.any(String),
        departmentId: 'DRC',
        department: expect.any(String),
        outcome: 'approved',
        documentNumber: '-江宁发改备〔2026〕"88"号',
        documentDate: chinaDate(t.system.ctx.clock.now()),
        decidedDate: chinaDate(t.system.ctx.clock.now()),
      },
    ]);
  });

  it('gives the same rows as CSV with a byte-order mark, quoted, and formulas disarmed', async () => {
    // Act
    const res = await raw('/exports/approvals.csv', 'admin');
    // (Response.text() drops a byte-order mark: decode keeping it)
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());

    // Assess
    const [header, row, ...rest] = text.split('\r\n');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(text.startsWith('\uFEFF"项目代码"')).toBe(true);
    expect(header?.split(',')).toHaveLength(14);
    expect(row).toContain(`"${national}","national","'=HYPERLINK(""http://x"")智能装备, 一期"`);
    expect(row).toContain(`"'-江宁发改备〔2026〕""88""号","${chinaDate(t.system.ctx.clock.now())}"`);
    expect(rest).toEqual(['']);
  });

  it('pages through projects with a cursor in the headers', async () => {
    // Act: one project a page, newest (no approval yet) first
    const first = await raw('/exports/approvals.jsonl?limit=1', 'leader-zhang');
    const cursor = first.headers.get('x-next-cursor') ?? '';
    const second = await raw(
      `/exports/approvals.jsonl?limit=1&cursor=${encodeURIComponent(cursor)}`,
      'leader-zhang',
    );

    // Assess
    expect(await first.text()).toBe('');
    expect(first.headers.get('link')).toContain('rel="next"');
    expect((await second.text()).split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('keeps the exports from agents, officers, investors and the efficiency office', async () => {
    // Act
    const answers = await Promise.all(
      ['agent-wang', 'officer-drc', 'investor-jinling', 'efficiency-office'].map((user) =>
        t.api.get('/exports/approvals.csv', user),
      ),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403]);
  });

  it('publishes the weekly figures as a JSON Feed, newest week first', async () => {
    // Prepare
    const made = await t.api.post('/admin/reports/weekly', 'admin', {});

    // Act
    const feed = await t.api.get('/reports/weekly/feed.json', 'efficiency-office');

    // Assess
    expect(feed.status).toBe(200);
    expect(feed.body).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      items: [
        {
          id: made.body.report.week,
          url: `/reports/weekly/${made.body.report.week}`,
          _daiban_weekly_report: { week: made.body.report.week, steps: made.body.report.steps },
        },
      ],
    });
  });
});

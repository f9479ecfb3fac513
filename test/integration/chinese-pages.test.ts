import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import { seedDemoProjects } from '../../infra/local/seed-demo.js';
import { seedWeeklyReports } from '../../infra/local/seed-weekly-reports.js';
import { SettableClock, systemClock } from '../../shared/app/clock.js';
import { readableText } from '../support/local-dates.js';
import { startTestSystem } from '../support/local-system.js';

const ORIGIN = 'http://localhost';

/**
 * Codes a Chinese page may show as they are: identifiers people copy (project codes, unified social credit codes,
 * user ids), units and the few words that are names in themselves. Anything else in Latin letters is English or
 * a raw code a person cannot read.
 */
const ALLOWED_WORDS = new Set([
  'English', // the link to the English pages, in its own language
  'CSV', // the download's format, as people call it
  'JSON',
  'XLSX', // the other download format
  'A4',
  'PDF',
  'SLA',
]);
const UNITS = /^(km|m|cm|mm|kV|kW|MW|MWh|kWh|t|m²|m³|mu|dB|CNY|h|min)$/;
/** a unified social credit code (统一社会信用代码) or another all-capital code with digits */
const CODE = /^(?=[A-Z0-9]*\d)[A-Z0-9]{6,}$/;

/** The Latin words of a page's text that are none of the allowed codes. */
function englishOn(text: string, userIds: ReadonlySet<string>): string[] {
  const words = text.match(/[A-Za-z][A-Za-z0-9_.@-]*/g) ?? [];
  return words.filter((word) => {
    const w = word.replace(/[.-]+$/, '');
    return !(ALLOWED_WORDS.has(w) || UNITS.test(w) || CODE.test(w) || userIds.has(w));
  });
}

/** Codes people read as they are: project codes (and numbers built on them), document numbers, e-mail addresses. */
const CODES = [
  /\d{4}-\d{6}-\d{2}-\d{2}-\d{5}[\dX](-\d+)?/g,
  /[A-Z_]+批〔\d{4}〕[\w#]+号/g,
  /[\w.-]+@[\w.-]+\.[a-z]+/g,
  /\d{4}-W\d{2}/g, // an ISO week, in the format the week field takes
];

/**
 * What a person reads of a page: its text, its title, and the words of placeholders and accessible labels; not
 * what the page marks as code not to translate (`translate="no"`: a JSON editor, a department's code beside its name).
 */
function shownText(html: string): string {
  html = html.replace(/<(\w+)\b[^>]*\stranslate="no"[^>]*>[\s\S]*?<\/\1>/g, ' ');
  for (const code of CODES) html = html.replace(code, ' ');
  const attributes = [...html.matchAll(/\s(?:placeholder|aria-label|title|alt)="([^"]*)"/g)].map((m) => m[1]);
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
  return [readableText(html), title, ...attributes].join(' ');
}

/**
 * Every page each role can reach in Chinese, found by following the links of its pages from its start page (the
 * seeded demo: projects in every state, meetings, complaints, batches, weekly reports); no Latin word outside the
 * allow-list on any of them.
 */
describe('the Chinese pages speak Chinese', () => {
  let system: Awaited<ReturnType<typeof startTestSystem>>;
  let userIds: Set<string>;
  const clock = new SettableClock(systemClock);

  beforeAll(async () => {
    system = await startTestSystem({ clock });
    await seedDemoProjects(system, clock);
    await seedWeeklyReports(system.ctx, 2);
    await system.engine.settled();
    userIds = new Set((await system.ctx.store.listUsers()).map((u) => u.userId));
    // the words people wrote into the demo's data (a project called 扬子江生物医药GMP厂房) are theirs to write
    for (const p of (await system.ctx.store.listProjects({}, { limit: 100 })).items)
      for (const word of p.name.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []) userIds.add(word);
  }, 300_000);

  afterAll(async () => {
    await system?.stop();
  });

  async function signIn(userId: string): Promise<string> {
    const res = await system.app.request('/sign-in', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ userId, password: DEMO_PASSWORD, next: '' }).toString(),
    });
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  /** The pages reachable from `start` by the links on them (HTML pages of this site only; at most `max`). */
  async function crawl(start: string[], cookie: string | undefined, max = 80) {
    const seen = new Set<string>();
    const queue = [...start];
    const pages: Array<{ path: string; status: number; html: string }> = [];
    while (queue.length > 0 && pages.length < max) {
      const path = queue.shift() as string;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await system.app.request(path, { headers: cookie ? { cookie } : {} });
      if (!(res.headers.get('content-type') ?? '').includes('text/html')) continue;
      const html = await res.text();
      pages.push({ path, status: res.status, html });
      for (const m of html.matchAll(/<a\b[^>]*\shref="(\/[^"]*)"/g)) {
        const href = (m[1] ?? '').replace(/&amp;/g, '&');
        if (/[?&]lang=/.test(href) || /\/(csv|json)$|\.csv|\.jsonl/.test(href) || href.startsWith('//'))
          continue;
        if (href === '/sign-in' && cookie) continue;
        // one page of each list's paging is enough
        if (
          /[?&]cursor=/.test(href) &&
          [...seen].some((s) => s.split('?')[0] === href.split('?')[0] && s.includes('cursor='))
        )
          continue;
        if (!seen.has(href)) queue.push(href);
      }
    }
    return pages;
  }

  const roles: Array<[string | undefined, string[]]> = [
    [undefined, ['/', '/guide', '/sign-in']],
    ['agent-wang', ['/app/work']],
    ['officer-env', ['/app/inbox']],
    ['investor-qinhuai', ['/app/projects']],
    ['leader-zhang', ['/app/dashboard']],
    ['efficiency-office', ['/app/complaints']],
    ['admin', ['/app/admin']],
  ];

  it.each(roles)('as %s: no English word or raw code on any page', async (userId, start) => {
    // Prepare
    const cookie = userId ? await signIn(userId) : undefined;

    // Act
    const pages = await crawl(start, cookie);

    // Assess
    expect(pages.length).toBeGreaterThan(userId ? 3 : 2);
    expect(pages.filter((p) => p.status !== 200).map((p) => [p.path, p.status])).toEqual([]);
    const found = pages
      .map((p) => [p.path, [...new Set(englishOn(shownText(p.html), userIds))].join(' ')])
      .filter(([, words]) => words !== '');
    if (process.env.DAIBAN_ZH_VERBOSE) {
      for (const p of pages) {
        const text = shownText(p.html).replace(/\s+/g, ' ');
        for (const w of new Set(englishOn(text, userIds))) {
          const at = text.indexOf(w);
          console.log(`ZH ${w} | ${p.path} | ${text.slice(Math.max(0, at - 40), at + 40)}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('says a refusal in Chinese: a lookup by a malformed or unknown code, a decision on a step no longer in review', async () => {
    // Prepare
    const officer = await signIn('officer-env');
    const project = (await system.ctx.store.listProjects({ status: 'completed' }, { limit: 1 })).items[0];

    // Act
    const malformed = await system.app.request('/lookup?code=2026-320115-39-01-00001');
    const unknown = await system.app.request('/lookup?code=2020-320115-39-01-000011');
    const decided = await system.app.request('/app/inbox/decide', {
      method: 'POST',
      headers: { cookie: officer, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        projectId: project?.projectId ?? '',
        stepId: '7',
        partId: '',
        outcome: 'rejected',
        legalBasis: '《建设项目环境保护管理条例》第十一条',
        reason: '选址位于生态红线内',
      }).toString(),
    });

    // Assess
    const shown = await Promise.all(
      [malformed, unknown, decided].map(async (res) => [
        res.status,
        englishOn(shownText(await res.text()), userIds),
      ]),
    );
    expect(shown).toEqual([
      [400, []],
      [404, []],
      [409, []],
    ]);
  });

  it('says a form refused for bad input in Chinese: the field by its label, what is wrong, no English', async () => {
    // Prepare
    const [officer = '', admin = '', leader = ''] = await Promise.all(
      ['officer-env', 'admin', 'leader-zhang'].map(signIn),
    );
    const project = (await system.ctx.store.listProjects({ status: 'completed' }, { limit: 1 })).items[0];
    const send = (path: string, cookie: string, form: Record<string, string>) =>
      system.app.request(path, {
        method: 'POST',
        headers: { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });

    // Act
    const refused = await Promise.all([
      // a decision without an outcome
      send('/app/inbox/decide', officer, { projectId: project?.projectId ?? '', stepId: '7', partId: '' }),
      // approved with conditions, none listed, no document number
      send('/app/inbox/decide', officer, {
        projectId: project?.projectId ?? '',
        stepId: '7',
        partId: '',
        outcome: 'approved_with_conditions',
        conditions: '',
        documentNumber: '',
        documentDate: '2026-03-02',
      }),
      // a user with a too-short id
      send('/app/admin/users', admin, { userId: 'x', name: '新用户', role: 'officer', password: '' }),
      // a meeting without a title
      send('/app/meetings/convene', leader, {
        title: '',
        scheduledAt: '2027-01-05T09:00',
        place: '三楼会议室',
      }),
    ]);

    // Assess
    const shown = await Promise.all(
      refused.map(async (res) => {
        const html = await res.text();
        const alert = /<p class="error" role="alert">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
        return { status: res.status, alert, english: englishOn(shownText(html), userIds) };
      }),
    );
    expect(shown.map((s) => [s.status, s.english])).toEqual([
      [400, []],
      [400, []],
      [400, []],
      [400, []],
    ]);
    expect(shown[0]?.alert).toContain('请选择审批结果');
    expect(shown[1]?.alert).toContain('附加条件：至少填写一项');
    expect(shown[1]?.alert).toContain('批文文号：不能为空');
    expect(shown[2]?.alert).toContain('用户名：');
    expect(shown[3]?.alert).toContain('会议名称：不能为空');
  });
});

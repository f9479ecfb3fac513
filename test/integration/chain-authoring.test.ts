import { describe, expect, it } from 'vitest';
import type { Chain } from '../../shared/domain/chain.js';
import { authoringRows } from '../support/chain-fixtures.js';
import { projectRegistration } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';
import { pageSession } from '../support/page-session.js';

const ORIGIN = 'http://localhost';
const AUTHOR = '/app/admin/chains/author';

type Step = Chain['stages'][number]['steps'][number];

/** The table form as the page sends it: the chain it was drawn from and one row per step, changed by `change`. */
function tableForm(
  chain: Chain,
  version: number,
  change: (step: Step) => Partial<Record<string, string>> = () => ({}),
) {
  const form = new URLSearchParams({ chain: JSON.stringify(chain), version: String(version) });
  const steps = chain.stages.flatMap((stage) => stage.steps);
  authoringRows(chain).forEach((drawn, i) => {
    const row = { ...drawn, ...(steps[i] ? change(steps[i]) : {}) };
    for (const [name, value] of Object.entries(row)) form.append(`row.${name}`, value ?? '');
  });
  return form;
}

describe('chain authoring', () => {
  const t = useTestSystem();

  const { signIn, page } = pageSession(t);
  const post = async (path: string, cookie: string, body: URLSearchParams | FormData, origin = ORIGIN) => {
    const res = await t.system.app.request(path, { method: 'POST', headers: { cookie, origin }, body });
    // the flash message rides a cookie to the next page
    const flash = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return { status: res.status, location: res.headers.get('location'), flash, text: await res.text() };
  };
  const inForce = async () => (await t.api.get('/chains/industrial-enterprise')).body as { version: number };
  const chainInForce = async (): Promise<Chain> => {
    const latest = await t.system.ctx.store.getChain('industrial-enterprise');
    if (!latest) throw new Error('no reference chain');
    return latest;
  };

  it('publishes the chain format as a JSON Schema, at its own address and in the OpenAPI document', async () => {
    // Act
    const schema = await t.api.get('/chains/schema.json');
    const doc = (await t.api.get('/openapi.json')).body;

    // Assess
    expect(schema.status).toBe(200);
    expect(schema.body.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.body.properties.stages.description).toMatch(/order they run/);
    expect(doc.components.schemas.Chain.properties.stages).toBeDefined();
    expect(doc.components.schemas.ChainApplicabilityRule).toBeDefined();
    expect(JSON.stringify(doc.paths['/chains'].post.requestBody)).toContain('#/components/schemas/Chain');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/chains/schema.json', '/chains/preview']),
    );
  });

  it('previews a chain for an admin only: the cycle named in Chinese, nothing published', async () => {
    // Prepare
    const chain = await chainInForce();
    const cyclic = structuredClone(chain);
    cyclic.version = chain.version + 1;
    const step15 = cyclic.stages[1]?.steps.find((s) => s.id === '15');
    step15?.prerequisites.push('16');

    // Act
    const asOfficer = await t.api.post('/chains/preview', 'officer-drc', cyclic);
    const asAgent = await t.api.post('/chains/preview', 'agent-wang', cyclic);
    const anonymous = await t.api.post('/chains/preview', undefined, cyclic);
    const preview = await t.api.post('/chains/preview', 'admin', cyclic);

    // Assess
    expect([asOfficer.status, asAgent.status, anonymous.status]).toEqual([403, 403, 401]);
    expect(preview.status).toBe(200);
    expect(preview.body.publishable).toBe(false);
    expect(preview.body.problems).toEqual([
      {
        en: '互为前置: step 15 ↔ step 16',
        zh: '步骤 15（建设工程设计方案审查）与步骤 16（建设工程规划许可证）互为前置',
      },
    ]);
    expect(preview.body.diff.changed).toEqual([
      expect.objectContaining({
        stepId: '15',
        changes: [{ field: 'prerequisites', before: '3, 5', after: '16, 3, 5' }],
      }),
    ]);
    expect(preview.body.svg).toMatch(/^<svg [^>]*role="img"/);
    expect((await inForce()).version).toBe(chain.version);
  });

  it('counts the projects on each version of the chain', async () => {
    // Prepare
    const chain = await chainInForce();
    await t.api.post('/projects', 'agent-wang', projectRegistration({ name: '版本计数项目' }));

    // Act
    const preview = await t.api.post('/chains/preview', 'admin', { ...chain, version: chain.version + 1 });

    // Assess
    const counts = preview.body.projects as Array<{ version: number; inFlight: number }>;
    expect(counts.map((c) => c.version)).toEqual([chain.version, chain.version - 1]);
    expect(counts[0]?.inFlight).toBeGreaterThanOrEqual(1);
    expect(preview.body.publishable).toBe(true);
    expect(preview.body.criticalPath.workingDays).toBeGreaterThan(0);
  });

  it('takes an admin from the version in force through a cycle, a fix and its critical path to the published version', async () => {
    // Prepare
    const cookie = await signIn('admin');
    const chain = await chainInForce();
    const next = chain.version + 1;

    // Act: start, make 15 and 16 wait for each other, then put them right and lengthen step 16
    const start = await page(AUTHOR, cookie);
    const cyclic = await post(
      `${AUTHOR}/table`,
      cookie,
      tableForm(chain, next, (s) => (s.id === '15' ? { prerequisites: '3, 5, 16' } : {})),
    );
    const fixed = await post(
      `${AUTHOR}/table`,
      cookie,
      tableForm(chain, next, (s) => (s.id === '16' ? { promisedDays: '9', legalDays: '20' } : {})),
    );
    const candidate = /name="chain" value="([^"]*)"/.exec(fixed.text)?.[1] ?? '';
    const published = await post(
      `${AUTHOR}/publish`,
      cookie,
      new URLSearchParams({ chain: candidate.replaceAll('&quot;', '"').replaceAll('&amp;', '&') }),
    );
    const after = await page(published.location ?? AUTHOR, `${cookie}; ${published.flash}`);

    // Assess
    expect(start.status).toBe(200);
    expect(start.text).toContain('各版本的项目数');
    expect(start.text).toContain('与现行版本相同');
    expect(cyclic.status).toBe(200);
    expect(cyclic.text).toContain('步骤 15（建设工程设计方案审查）与步骤 16（建设工程规划许可证）互为前置');
    expect(cyclic.text).not.toContain(`action="${AUTHOR}/publish"`);
    expect(fixed.text).toContain('校验通过');
    expect(fixed.text).toMatch(/关键路径共 \d+ 个工作日/);
    expect(fixed.text).toContain('data:image/svg+xml;base64,');
    expect(fixed.text).toMatch(/承诺时限<\/td><td>5<\/td><td>9<\/td>/);
    expect(published.status).toBe(303);
    expect(after.text).toContain(`已发布第 ${next} 版`);
    expect((await inForce()).version).toBe(next);
    const stored = await t.system.ctx.store.getChain('industrial-enterprise', next);
    expect(stored?.stages[1]?.steps.find((s) => s.id === '16')?.promisedDays).toBe(9);
    expect(await t.system.engine.hasChain(`industrial-enterprise@${next}`)).toBe(true);
  });

  it('previews an uploaded definition, and refuses to publish a version already in force', async () => {
    // Prepare
    const cookie = await signIn('admin');
    const chain = await chainInForce();
    const upload = new FormData();
    upload.append('chain', '');
    upload.append('file', new File([JSON.stringify(chain)], 'chain.json', { type: 'application/json' }));

    // Act
    const previewed = await post(`${AUTHOR}/json`, cookie, upload);
    const notJson = await post(`${AUTHOR}/json`, cookie, new URLSearchParams({ chain: '{"id": ' }));
    const again = await post(
      `${AUTHOR}/publish`,
      cookie,
      new URLSearchParams({ chain: JSON.stringify(chain) }),
    );

    // Assess
    expect(previewed.status).toBe(200);
    expect(previewed.text).toContain(`版本 ${chain.version} 已发布`);
    expect(notJson.status).toBe(400);
    expect(notJson.text).toContain('不是有效的 JSON');
    expect(again.status).toBe(409);
    expect((await inForce()).version).toBe(chain.version);
  });

  it('refuses the page and its forms to every other role, and a form from another site', async () => {
    // Prepare
    const chain = await chainInForce();
    const officer = await signIn('officer-drc');
    const admin = await signIn('admin');
    const next = new URLSearchParams({ chain: JSON.stringify({ ...chain, version: chain.version + 1 }) });

    // Act
    const officerPage = await page(AUTHOR, officer);
    const officerPreview = await post(`${AUTHOR}/json`, officer, next);
    const officerPublish = await post(`${AUTHOR}/publish`, officer, next);
    const leaderPage = await page(AUTHOR, await signIn('leader-zhang'));
    const forged = await post(`${AUTHOR}/publish`, admin, next, 'https://evil.example');

    // Assess
    expect([officerPage.status, officerPreview.status, officerPublish.status, leaderPage.status]).toEqual([
      403, 403, 403, 403,
    ]);
    expect(forged.status).toBe(403);
    expect((await inForce()).version).toBe(chain.version);
  });
});

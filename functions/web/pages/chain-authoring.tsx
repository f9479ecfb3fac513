import { previewChainVersion } from '../../../shared/app/chain-preview.js';
import type { VersionCount } from '../../../shared/app/chain-versions.js';
import { publishChain } from '../../../shared/app/publish-chain.js';
import { assertAllowed } from '../../../shared/domain/access-policy.js';
import { type Chain, ChainSchema, chainKey } from '../../../shared/domain/chain.js';
import { applyChainEdit, ChainEditSchema } from '../../../shared/domain/chain-edit.js';
import type { ChainPreview } from '../../../shared/domain/chain-preview.js';
import { InvalidInputError, NotFoundError } from '../../../shared/domain/errors.js';
import type { ApiDeps } from '../../http/env.js';
import type { Translate } from '../../http/i18n.js';
import { Layout } from '../layout.js';
import { type RefusalStatus, refusalOf, takeFlash } from '../session.js';
import { act, formOf, render, requireRole, type WebApp, type WebContext } from '../web-env.js';
import { PreviewView, StepTable, VersionCounts } from './chain-authoring-view.js';

const BASE = '/app/admin/chains/author';

/** What the page shows: the candidate as text, and, when it reads as a chain, the chain with its preview. */
type Candidate = { text: string; preview?: ChainPreview; projects?: VersionCount[] };

const parseJson = (text: string, t: Translate): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError(
      'FORM.JSON',
      t(
        '流程定义不是有效的 JSON，请检查后重新提交',
        'the chain definition is not valid JSON; check it and send it again',
      ),
    );
  }
};

/**
 * Chain authoring (admin only): start from the version in force (its next version number), change steps in a
 * table or paste or upload a whole definition (JSON, the format of GET /chains/schema.json), preview it (problems
 * in Chinese naming the steps, critical path, graph, differences from the version in force, projects per version),
 * then publish it, which deploys its state machine as POST /chains does. Projects in flight keep their version.
 */
export function chainAuthoringPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  const show = async (
    c: WebContext,
    candidate: Candidate | undefined,
    error?: string,
    status?: RefusalStatus,
  ) => {
    const page = c.get('page');
    const { t } = page;
    const [chains, departments] = await Promise.all([ctx.store.listChains(), ctx.store.listDepartments()]);
    const preview = candidate?.preview;
    const chain = preview?.chain;
    return render(
      c,
      <Layout ctx={page} title={t('编写审批流程', 'Author a chain')} flash={takeFlash(c)} error={error}>
        <p>
          <a href="/app/admin">{t('返回系统管理', 'Back to administration')}</a> ·{' '}
          <a href="/chains/schema.json">{t('流程格式说明（JSON）', 'Chain format (JSON Schema)')}</a>
        </p>
        <section class="card" aria-labelledby="start-h">
          <h2 id="start-h">{t('从现行版本开始', 'Start from the version in force')}</h2>
          <ul>
            {chains.map((inForce) => (
              <li>
                <a href={`${BASE}?chain=${inForce.id}`}>{inForce.name}</a>{' '}
                {t(`现行第${inForce.version}版`, `version ${inForce.version} in force`)}
              </li>
            ))}
          </ul>
        </section>
        {candidate?.projects ? <VersionCounts t={t} counts={candidate.projects} /> : null}
        {preview ? <PreviewView t={t} preview={preview} /> : null}
        {preview?.publishable && candidate ? (
          <section class="card" aria-labelledby="publish-h">
            <h2 id="publish-h">{t('发布', 'Publish')}</h2>
            <p class="hint">
              {t(
                `发布第 ${preview.key?.split('@').at(-1)} 版将部署其状态机；此后登记的项目使用新版本，在办项目仍按原版本办理。`,
                `Publishing ${preview.key} deploys its state machine; projects registered from now on use it, projects in flight keep theirs.`,
              )}
            </p>
            <form method="post" action={`${BASE}/publish`}>
              <input type="hidden" name="chain" value={candidate.text} />
              <button type="submit">
                {t(`发布第 ${preview.key?.split('@').at(-1) ?? ''} 版`, `Publish ${preview.key ?? ''}`)}
              </button>
            </form>
          </section>
        ) : null}
        {chain ? (
          <section class="card" aria-labelledby="table-h">
            <h2 id="table-h">{t('在表格中修改步骤', 'Edit the steps in a table')}</h2>
            <form method="post" action={`${BASE}/table`}>
              <input type="hidden" name="chain" value={JSON.stringify(chain)} />
              <StepTable t={t} chain={chain} departments={departments.map((d) => d.id)} />
              <button type="submit">{t('预览修改', 'Preview the changes')}</button>
            </form>
          </section>
        ) : null}
        <section class="card" aria-labelledby="json-h">
          <h2 id="json-h">{t('粘贴或上传流程定义（JSON）', 'Paste or upload a definition (JSON)')}</h2>
          <form method="post" action={`${BASE}/json`} enctype="multipart/form-data">
            <label for="chain-text">{t('流程定义（JSON）', 'Chain definition (JSON)')}</label>
            <textarea id="chain-text" name="chain" rows={12} translate="no">
              {candidate?.text ?? ''}
            </textarea>
            <label for="chain-file">
              {t('或上传 JSON 文件（优先于上面的文本）', 'or upload a JSON file (instead of the text above)')}
            </label>
            <input type="file" id="chain-file" name="file" accept="application/json,.json" />
            <button type="submit">{t('预览', 'Preview')}</button>
          </form>
        </section>
      </Layout>,
      status,
    );
  };

  /** The preview of a candidate's text (the problems of text that is no JSON go to the page's error). */
  const candidateOf = async (c: WebContext, text: string): Promise<Candidate> => {
    const principal = requireRole(c, ['admin']);
    const { projects, ...preview } = await previewChainVersion(
      ctx,
      principal,
      parseJson(text, c.get('page').t),
    );
    return { text, preview, projects };
  };

  /** A refusal (text that is no JSON or no table, or a role that may not): the page again, the text kept. */
  const refused = async (c: WebContext, text: string, error: unknown) => {
    const refusal = refusalOf(error);
    await c.get('recordRefusal')(error);
    return show(c, { text }, refusal.message, refusal.status);
  };

  app.get(BASE, async (c) => {
    const principal = requireRole(c, ['admin']);
    assertAllowed(principal, 'chain.publish');
    const wanted = c.req.query('chain');
    const chains = await ctx.store.listChains();
    const current = wanted === undefined ? chains[0] : chains.find((x) => x.id === wanted);
    if (wanted !== undefined && !current)
      throw new NotFoundError('CHAIN.NOT_FOUND', `没有流程“${wanted.slice(0, 60)}”`);
    if (!current) return show(c, undefined);
    const next: Chain = { ...current, version: current.version + 1 };
    return show(c, await candidateOf(c, JSON.stringify(next, null, 2)));
  });

  app.post(`${BASE}/table`, async (c) => {
    requireRole(c, ['admin']);
    const form = await formOf(c);
    const text = form.raw('chain');
    try {
      const base = ChainSchema.parse(parseJson(text, c.get('page').t));
      const rowsOf = (prefix: string) =>
        form.all(`${prefix}id`).map((id, i) => ({
          id,
          stageId: form.all(`${prefix}stageId`)[i] ?? '',
          name: form.all(`${prefix}name`)[i] ?? '',
          departmentId: form.all(`${prefix}departmentId`)[i] ?? '',
          promisedDays: form.all(`${prefix}promisedDays`)[i] ?? '',
          legalDays: form.all(`${prefix}legalDays`)[i] ?? '',
          prerequisites: form.all(`${prefix}prerequisites`)[i] ?? '',
        }));
      const edit = ChainEditSchema.parse({
        version: form.get('version'),
        rows: rowsOf('row.'),
        remove: form.all('remove'),
        added: form.all('new.id').length > 0 ? rowsOf('new.').filter((r) => r.id !== '') : [],
      });
      return show(c, await candidateOf(c, JSON.stringify(applyChainEdit(base, edit), null, 2)));
    } catch (error) {
      return refused(c, text, error);
    }
  });

  app.post(`${BASE}/json`, async (c) => {
    requireRole(c, ['admin']);
    const body = await c.req.parseBody();
    const file = body.file;
    const uploaded = file instanceof File && file.size > 0 ? await file.text() : undefined;
    const text = (uploaded ?? (typeof body.chain === 'string' ? body.chain : '')).trim();
    try {
      if (text === '')
        throw new InvalidInputError(
          'FORM.EMPTY',
          c.get('page').t('请粘贴或上传流程定义', 'paste or upload a chain definition'),
        );
      return show(c, await candidateOf(c, text));
    } catch (error) {
      return refused(c, text, error);
    }
  });

  app.post(`${BASE}/publish`, async (c) => {
    const principal = requireRole(c, ['admin']);
    const form = await formOf(c);
    const text = form.raw('chain');
    const { t } = c.get('page');
    return act(
      c,
      async () => {
        const chain = await publishChain(ctx, principal, parseJson(text, c.get('page').t));
        return {
          message: t(
            `已发布第 ${chain.version} 版，状态机已在本运行环境部署；在办项目仍按原版本办理`,
            `Published ${chainKey(chain)} with its state machine; projects in flight keep their version`,
          ),
          to: `${BASE}?chain=${chain.id}`,
        };
      },
      // refused (a version already published, a problem): the preview says why, beside the refusal
      async (error, status) => show(c, await candidateOf(c, text).catch(() => ({ text })), error, status),
    );
  });
}

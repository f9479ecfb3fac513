import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { denialOf } from '../../shared/app/audit.js';
import type { Principal } from '../../shared/domain/principal.js';
import type { ApiDeps } from '../http/env.js';
import { type PageContext, translator } from '../http/i18n.js';
import { keepDraft, pageOfForm } from './form-draft.js';
import { Layout } from './layout.js';
import { adminPages } from './pages/admin.js';
import { agentPages } from './pages/agent.js';
import { batchPages } from './pages/batches.js';
import { chainAuthoringPages } from './pages/chain-authoring.js';
import { complaintPages } from './pages/complaints.js';
import { importPages } from './pages/imports.js';
import { inboxPages } from './pages/inbox.js';
import { leaderPages } from './pages/leader.js';
import { meetingPages } from './pages/meetings.js';
import { projectPages } from './pages/projects.js';
import { publicPages } from './pages/public.js';
import { reportPages } from './pages/reports.js';
import { deniedBy, isSameOrigin, languageOf, principalOfRequest, refusalOf } from './session.js';
import { render, type WebApp, type WebEnv } from './web-env.js';

/**
 * The pages people use (server-rendered, no script needed): the public service guide and progress lookup, and
 * behind sign-in each role's page. They read and act through the same use cases as the API, with the signed-in
 * principal, so the access policy applies exactly as on the API. Mounted on the API app with one line.
 */
export function webRoutes(deps: ApiDeps): WebApp {
  const app = new Hono<WebEnv>();

  // Only the pages' own paths: the API's answers (JSON, bearer clients without an Origin) stay the API's.
  // (`/app/*` covers `/app` too: each middleware must run once per request.)
  const pagePaths = ['/', '/app/*', '/sign-in/*', '/sign-out', '/guide/*', '/lookup'];
  const pageContext = createMiddleware<WebEnv>(async (c, next) => {
    const lang = languageOf(c);
    const principal = await principalOfRequest(deps, c);
    const url = new URL(c.req.url);
    const page: PageContext = {
      lang,
      t: translator(lang),
      ...(principal ? { principal } : {}),
      path: `${url.pathname}${url.search}`,
    };
    c.set('page', page);
    c.set('recordRefusal', async (error) => {
      const refusal = deniedBy(error);
      if (!refusal || !principal) return;
      await deps.ctx.store
        .recordDenial(denialOf(deps.ctx, principal, refusal, { method: c.req.method, path: c.req.path }))
        .catch(() => undefined);
    });
    if (c.req.method === 'POST' && !isSameOrigin(c)) {
      // audited like the API's refusals: by whoever the request carried (a forged form usually carries no one)
      await deps.ctx.store
        .recordDenial(
          denialOf(
            deps.ctx,
            principal ?? { userId: 'anonymous', role: 'anonymous' as Principal['role'], name: '' },
            { action: 'page.form_from_another_site', code: 'PAGE.CROSS_SITE_FORM', as: 'forbidden' },
            { method: c.req.method, path: c.req.path },
          ),
        )
        .catch(() => undefined);
      return render(
        c,
        <Layout ctx={page} title={page.t('请求被拒绝', 'Request refused')}>
          <p class="error" role="alert">
            {page.t(
              '表单必须从本站页面提交（跨站请求伪造防护）。请回到页面重新提交。',
              'forms must be sent from this site’s own pages (cross-site request forgery protection); go back and send it again',
            )}
          </p>
        </Layout>,
        403,
      );
    }
    await next();
  });
  for (const path of pagePaths) app.use(path, pageContext);

  // Everything under /app needs a signed-in person; the sign-in page brings them back.
  app.use('/app/*', async (c, next) => {
    if (!c.get('page').principal) {
      if (c.req.method === 'POST') {
        // a form sent after the session ended: keep what was typed, sign in, and the form's page shows it again
        const page = pageOfForm(c);
        const kept = await keepDraft(c, page, deps.accounts?.signIn);
        return c.redirect(`/sign-in?expired=${kept ? 'kept' : 'lost'}&next=${encodeURIComponent(page)}`, 303);
      }
      return c.redirect(`/sign-in?next=${encodeURIComponent(c.get('page').path)}`, 303);
    }
    await next();
  });

  publicPages(app, deps);
  projectPages(app, deps);
  agentPages(app, deps);
  inboxPages(app, deps);
  leaderPages(app, deps);
  meetingPages(app, deps);
  reportPages(app, deps);
  complaintPages(app, deps);
  batchPages(app, deps);
  adminPages(app, deps);
  chainAuthoringPages(app, deps);
  importPages(app, deps);

  // A page address that is no page (an old bookmark, a form's address opened as a page): a page that says so.
  app.get('/app/*', (c) => {
    const page = c.get('page');
    return render(
      c,
      <Layout
        ctx={page}
        title={page.t('页面不存在', 'No such page')}
        error={page.t('此地址没有页面。', 'There is no page at this address.')}
      >
        <p>
          <a href="/app">{page.t('返回首页', 'Back to my page')}</a>
        </p>
      </Layout>,
      404,
    );
  });

  // A refusal or a database outage on a page: a page that says so, with the status (never internals).
  app.onError(async (error, c) => {
    const page = c.get('page') ?? { lang: 'zh', t: translator('zh'), path: c.req.path };
    let refusal: ReturnType<typeof refusalOf>;
    try {
      refusal = refusalOf(error, page.lang);
      await c.get('recordRefusal')?.(error);
    } catch {
      console.error(
        JSON.stringify({ level: 'ERROR', message: 'page failed', path: c.req.path, error: String(error) }),
      );
      return c.html(
        '<!doctype html><title>500</title><p>something went wrong on our side; try again</p>',
        500,
      );
    }
    return render(
      c,
      <Layout ctx={page} title={page.t('无法显示', 'Cannot show this page')} error={refusal.message}>
        <p>
          <a href="/app">{page.t('返回首页', 'Back to my page')}</a>
        </p>
      </Layout>,
      refusal.status,
    );
  });
  return app;
}

import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { ForbiddenError } from '../../shared/domain/errors.js';
import type { Principal, Role } from '../../shared/domain/principal.js';
import type { PageContext } from '../http/i18n.js';
import { type FormDraft, fillDraft, takeDraft } from './form-draft.js';
import { type RefusalStatus, refusalOf, setFlash } from './session.js';

export type WebEnv = {
  Variables: {
    page: PageContext;
    /** keeps a refusal of the access policy in the audit trail, as the API does (never changes the answer) */
    recordRefusal: (error: unknown) => Promise<void>;
  };
};
export type WebApp = Hono<WebEnv>;
export type WebContext = Context<WebEnv>;

/** Sends a page (JSX) as HTML with its doctype. */
export async function render(
  c: WebContext,
  node: Child,
  status: 200 | RefusalStatus = 200,
  /** a refused form, shown again filled in as it was sent */
  refill?: FormDraft,
) {
  const rendered = String(await node);
  const html = refill ? (fillDraft(rendered, refill) ?? rendered) : rendered;
  return c.html(
    `<!doctype html>${status === 200 && c.req.method === 'GET' ? withDraft(c, html) : html}`,
    status,
  );
}

/** A page with the form its person was filling in when the session ended, filled in again (see form-draft.ts). */
function withDraft(c: WebContext, html: string): string {
  const page = c.get('page');
  if (!page?.principal) return html;
  const draft = takeDraft(c, page.path, page.principal.userId);
  if (!draft) return html;
  const filled = fillDraft(html, draft);
  const note = filled
    ? page.t(
        '已恢复您在登录过期前填写的表单，请核对后再提交（未自动提交）。',
        'The form you were filling in when your session ended is back, filled in: check it and send it (nothing was sent).',
      )
    : page.t(
        '您在登录过期前填写的表单已不在此页（该事项可能已被处理），内容未能恢复。',
        'The form you were filling in when your session ended is no longer on this page (the item may have been dealt with meanwhile).',
      );
  const notice = `<p class="flash" role="status" data-draft="${filled ? 'restored' : 'gone'}">${note}</p>`;
  const target = filled ?? html;
  const h1 = target.indexOf('</h1>');
  return h1 < 0 ? target : `${target.slice(0, h1 + 5)}${notice}${target.slice(h1 + 5)}`;
}

/** The signed-in person (the /app pages are behind sign-in, so there always is one). */
export function me(c: WebContext): Principal {
  const principal = c.get('page').principal;
  if (!principal) throw new ForbiddenError('PAGE.SIGN_IN', 'sign in first');
  return principal;
}

/** Refuses a page to the roles it is not for, with a message (the use cases check access again). */
export function requireRole(c: WebContext, roles: Role[]): Principal {
  const principal = me(c);
  if (!roles.includes(principal.role)) {
    const { t } = c.get('page');
    throw new ForbiddenError(
      'PAGE.NOT_FOR_ROLE',
      t('此页面不适用于您的角色', 'this page is not for your role'),
      // a refusal like the API's: it goes to the audit trail
      'page.read',
    );
  }
  return principal;
}

/** A submitted form's fields: one value, or every value of a repeated field. */
export type Form = {
  get(name: string): string;
  all(name: string): string[];
  /** the value as sent, not trimmed (a password) */
  raw(name: string): string;
};

const StepTargetSchema = z.strictObject({
  projectId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  stepId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
});
const ItemTargetSchema = StepTargetSchema.extend({
  partId: z
    .string()
    .regex(/^[a-z0-9]{0,20}$/)
    .optional(),
});

/** The step a form acts on: its hidden fields `projectId` and `stepId`. */
export const stepTargetOf = (form: Form) =>
  StepTargetSchema.parse({ projectId: form.get('projectId'), stepId: form.get('stepId') });

/** The step or joint-review part a form acts on: hidden `projectId`, `stepId` and (for a part) `partId`. */
export const itemTargetOf = (form: Form) =>
  ItemTargetSchema.parse({
    projectId: form.get('projectId'),
    stepId: form.get('stepId'),
    ...(form.get('partId') ? { partId: form.get('partId') } : {}),
  });

export async function formOf(c: WebContext): Promise<Form> {
  const body = await c.req.parseBody({ all: true });
  const values = (name: string): string[] => {
    const value = body[name];
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return list.filter((v): v is string => typeof v === 'string');
  };
  return {
    get: (name) => (values(name)[0] ?? '').trim(),
    all: (name) => values(name).map((v) => v.trim()),
    raw: (name) => values(name)[0] ?? '',
  };
}

/**
 * Runs a form's action: on success a message for the next page and a redirect (303, so a reload posts nothing
 * twice); on a refusal the form's page again, with the refusal's message and status. Nothing half-written: the
 * use cases commit in one transaction or not at all.
 */
export async function act(
  c: WebContext,
  work: () => Promise<{ message: string; to: string }>,
  again: (error: string, status: RefusalStatus) => Promise<Response>,
): Promise<Response> {
  let done: { message: string; to: string };
  try {
    done = await work();
  } catch (error) {
    const refusal = refusalOf(error, c.get('page').lang);
    await c.get('recordRefusal')(error);
    return again(refusal.message, refusal.status);
  }
  setFlash(c, done.message);
  return c.redirect(done.to, 303);
}

/** What a form's action works with: the request, the caller (in one of the page's roles), the form sent, `t`. */
export type FormMove<P extends string = string> = {
  c: Context<WebEnv, P>;
  principal: Principal;
  form: Form;
  t: PageContext['t'];
};

/**
 * A page's form action at `path`, for `roles` only: reads the form and runs `work` through `act` (its message on
 * the page it names, after a 303), or shows `again` (the form's page) with the refusal's message and status.
 */
export function formAction<P extends string>(
  app: WebApp,
  path: P,
  roles: Role[],
  work: (move: FormMove<P>) => Promise<{ message: string; to: string }>,
  again: (
    c: Context<WebEnv, P>,
    form: Form,
    error: string,
    status: RefusalStatus,
  ) => Promise<Response> | Response,
): void {
  app.post(path, async (c) => {
    const principal = requireRole(c, roles);
    const form = await formOf(c);
    const { t } = c.get('page');
    return act(
      c,
      () => work({ c, principal, form, t }),
      async (error, status) => again(c, form, error, status),
    );
  });
}

/** What a form's action did: a message for its page, or a message and the page to go to. */
export type FormDone = string | { message: string; to: string };

/** The page a refused form is shown on again, with the refusal's message and status. */
export type FormAgain = (
  c: WebContext,
  form: Form,
  error: string,
  status: RefusalStatus,
) => Promise<Response> | Response;

/**
 * The forms of one page, for `roles` only: `form(path, work)` is a form action (see formAction) whose `work` says
 * what it did, back on the page at `path` unless it names another; a refusal shows `again` (or the form's own).
 */
export function pageForms(app: WebApp, page: { path: string; roles: Role[]; again: FormAgain }) {
  return <P extends string>(path: P, work: (move: FormMove<P>) => Promise<FormDone>, again = page.again) =>
    formAction(
      app,
      path,
      page.roles,
      async (move) => {
        const done = await work(move);
        return typeof done === 'string' ? { message: done, to: page.path } : done;
      },
      again,
    );
}

/** Lines of a textarea, trimmed, empty ones dropped. */
export const linesOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** The page each role starts on. */
export function homeOf(role: string): string {
  switch (role) {
    case 'agent':
      return '/app/work';
    case 'officer':
      return '/app/inbox';
    case 'leader':
      return '/app/dashboard';
    case 'admin':
      return '/app/admin';
    case 'efficiency':
      return '/app/complaints';
    default:
      return '/app/projects';
  }
}

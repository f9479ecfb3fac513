import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { SESSION_COOKIE } from '../http/session-token.js';

/**
 * A form posted after its session ended (expired, signed out elsewhere, the user disabled): what was typed is kept
 * in a short-lived cookie of the browser that typed it, the sign-in page says so, and once signed in again the page
 * the form was on shows it filled in, for the person to check and send themselves (nothing is sent again on its own).
 *
 * The cookie holds only what that browser itself just sent (never a password), is HttpOnly and lives 30 minutes; it
 * is read back only as the values of a form's fields, HTML-escaped, on the page it came from. So it needs no
 * signature: whoever could change it could as well have typed the values.
 *
 * It is kept for the person whose session ended, not for the browser: when the request still carried that session's
 * token (this installation's signature, expired or refused since), the draft names its user, and only that user
 * signing in again gets it back; anyone else signing in on that browser gets nothing and the draft is dropped. With
 * no readable token at all, the next person to sign in within the 30 minutes takes it (it is tied to them then).
 */
const DRAFT_COOKIE = 'daiban_draft';
const DRAFT_SECONDS = 30 * 60;
/** what a browser keeps of one cookie, with room for its name and attributes */
const MAX_COOKIE_CHARS = 3800;

const DraftSchema = z.strictObject({
  /** the page the form is on (path and query), where it comes back */
  page: z.string().startsWith('/app').max(500),
  /** the form's action, to find the form on that page */
  action: z.string().startsWith('/app').max(500),
  fields: z.array(z.tuple([z.string().max(100), z.string().max(20_000)])).max(500),
  /** whose session ended (from its token); absent when the request carried no token of this installation */
  owner: z.string().max(100).optional(),
  /** when it was kept (epoch ms): it lasts {@link DRAFT_SECONDS} from then, whoever takes it */
  keptAt: z.number().int().nonnegative(),
});
export type FormDraft = z.infer<typeof DraftSchema>;

const secret = (name: string) => /password|token/i.test(name);

/**
 * The page a form was posted from: the Referer when it is a page of this site (the pages send it to themselves,
 * `Referrer-Policy: same-origin`), else the action's parent path (`/app/inbox/decide` → `/app/inbox`).
 */
export function pageOfForm(c: Context): string {
  const own = new URL(c.req.url).origin;
  const referer = c.req.header('referer');
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.origin === own && url.pathname.startsWith('/app'))
        return `${url.pathname}${url.search}`.slice(0, 500);
    } catch {
      // not a URL: fall back to the action's parent
    }
  }
  const parent = c.req.path.replace(/\/[^/]*$/, '');
  return parent.startsWith('/app') ? parent : '/app';
}

/** The form this request posted, as a draft of `page` (a refused form's page shows it again, filled in). */
export async function draftOf(c: Context, page: string): Promise<FormDraft | undefined> {
  const body = await c.req.parseBody({ all: true });
  const fields: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(body)) {
    if (secret(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') fields.push([name, v]);
  }
  const draft = DraftSchema.safeParse({ page, action: c.req.path, fields, keptAt: Date.now() });
  return draft.success ? draft.data : undefined;
}

/** Tells whose session a token was, expired or not (`LocalSignIn.ownerOfToken`); undefined if not one of ours. */
export type TokenOwners = { ownerOfToken: (token: string) => Promise<string | undefined> };

/**
 * Keeps a posted form's fields for after the next sign-in, for the user whose session token the request carried
 * (see the file's comment); false if they are too long for a cookie.
 */
export async function keepDraft(c: Context, page: string, owners?: TokenOwners): Promise<boolean> {
  const draft = await draftOf(c, page);
  if (!draft) return false;
  const token = getCookie(c, SESSION_COOKIE);
  const owner = token && owners ? await owners.ownerOfToken(token) : undefined;
  return setDraft(c, owner ? { ...draft, owner } : draft);
}

function setDraft(c: Context, draft: FormDraft): boolean {
  const maxAge = Math.floor((draft.keptAt + DRAFT_SECONDS * 1000 - Date.now()) / 1000);
  if (maxAge <= 0) return false;
  const value = deflateRawSync(Buffer.from(JSON.stringify(draft))).toString('base64url');
  if (value.length > MAX_COOKIE_CHARS) return false;
  setCookie(c, DRAFT_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge,
  });
  return true;
}

/** The draft the browser carries, if it reads as one and its 30 minutes have not passed. */
function readDraft(c: Context): FormDraft | undefined {
  const value = getCookie(c, DRAFT_COOKIE);
  if (!value) return undefined;
  try {
    const parsed = DraftSchema.safeParse(
      JSON.parse(inflateRawSync(Buffer.from(value, 'base64url')).toString()),
    );
    if (!parsed.success) return undefined;
    return parsed.data.keptAt + DRAFT_SECONDS * 1000 > Date.now() ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * On signing in: a draft kept for another user is dropped (they never see it); one kept with no owner becomes this
 * user's, for the rest of its 30 minutes.
 */
export function claimDraft(c: Context, userId: string): void {
  if (!getCookie(c, DRAFT_COOKIE)) return;
  const draft = readDraft(c);
  if (!draft || (draft.owner !== undefined && draft.owner !== userId)) dropDraft(c);
  else if (draft.owner === undefined && !setDraft(c, { ...draft, owner: userId })) dropDraft(c);
}

/**
 * The kept draft for this page, taken (the cookie is cleared); undefined if none, or one for another page. One kept
 * for another user than the signed-in one is dropped unseen.
 */
export function takeDraft(c: Context, page: string, userId: string | undefined): FormDraft | undefined {
  if (!getCookie(c, DRAFT_COOKIE)) return undefined;
  const draft = readDraft(c);
  if (!draft || draft.owner === undefined || draft.owner !== userId) {
    dropDraft(c);
    return undefined;
  }
  if (draft.page !== page) return undefined;
  deleteCookie(c, DRAFT_COOKIE, { path: '/' });
  return draft;
}

export function dropDraft(c: Context): void {
  if (getCookie(c, DRAFT_COOKIE)) deleteCookie(c, DRAFT_COOKIE, { path: '/' });
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unescapeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const attrsOf = (tag: string): Map<string, string> => {
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(/\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)) {
    if (m[1]) attrs.set(m[1].toLowerCase(), unescapeHtml(m[2] ?? ''));
  }
  return attrs;
};
const withAttr = (tag: string, name: string, value: string | undefined): string => {
  const without = tag.replace(new RegExp(`\\s${name}(="[^"]*")?(?=[\\s/>])`), '');
  if (value === undefined) return without;
  return without.replace(/^<([a-zA-Z]+)/, `<$1 ${name}="${escapeHtml(value)}"`);
};

/**
 * The page's HTML with the draft's form filled in: the form with the draft's action whose hidden fields (the item it
 * acts on) match the draft's, its fields set to what was typed, the `<details>` it is folded in opened. Undefined
 * when the page no longer has that form (the item was decided meanwhile, say).
 */
export function fillDraft(html: string, draft: FormDraft): string | undefined {
  const values = new Map<string, string[]>();
  for (const [name, value] of draft.fields) values.set(name, [...(values.get(name) ?? []), value]);
  for (const match of html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)) {
    const form = match[0];
    const start = match.index ?? 0;
    const open = /^<form\b[^>]*>/.exec(form)?.[0] ?? '';
    if (attrsOf(open).get('action') !== draft.action) continue;
    const hidden = [...form.matchAll(/<input\b[^>]*>/g)]
      .map((m) => attrsOf(m[0]))
      .filter((a) => a.get('type') === 'hidden' && a.has('name'));
    const same = hidden.every((a) => {
      const sent = values.get(a.get('name') ?? '');
      return sent === undefined || sent.includes(a.get('value') ?? '');
    });
    if (!same) continue;
    const filled = fillForm(form, values);
    let before = html.slice(0, start);
    const details = before.lastIndexOf('<details');
    if (details >= 0 && before.indexOf('</details>', details) < 0) {
      const end = before.indexOf('>', details);
      before = `${before.slice(0, details)}${withAttr(before.slice(details, end + 1), 'open', '')}${before.slice(end + 1)}`;
    }
    return `${before}${filled}${html.slice(start + form.length)}`;
  }
  return undefined;
}

function fillForm(form: string, values: Map<string, string[]>): string {
  const used = new Map<string, number>();
  const next = (name: string): string | undefined => {
    const list = values.get(name);
    const i = used.get(name) ?? 0;
    used.set(name, i + 1);
    return list?.[i];
  };
  return form
    .replace(/<textarea\b[^>]*>[\s\S]*?<\/textarea>/g, (tag) => {
      const open = /^<textarea\b[^>]*>/.exec(tag)?.[0] ?? '<textarea>';
      const name = attrsOf(open).get('name');
      const value = name ? next(name) : undefined;
      return value === undefined ? tag : `${open}${escapeHtml(value)}</textarea>`;
    })
    .replace(/<select\b[^>]*>[\s\S]*?<\/select>/g, (tag) => {
      const name = attrsOf(/^<select\b[^>]*>/.exec(tag)?.[0] ?? '').get('name');
      const chosen = name ? values.get(name) : undefined;
      if (!chosen) return tag;
      return tag.replace(/<option\b[^>]*>/g, (option) =>
        withAttr(option, 'selected', chosen.includes(attrsOf(option).get('value') ?? '') ? '' : undefined),
      );
    })
    .replace(/<input\b[^>]*>/g, (tag) => {
      const attrs = attrsOf(tag);
      const name = attrs.get('name');
      const type = attrs.get('type') ?? 'text';
      if (!name || ['hidden', 'submit', 'button', 'password', 'file'].includes(type)) return tag;
      const sent = values.get(name);
      if (type === 'checkbox' || type === 'radio') {
        return withAttr(tag, 'checked', sent?.includes(attrs.get('value') ?? 'on') ? '' : undefined);
      }
      const value = next(name);
      return value === undefined ? tag : withAttr(tag, 'value', value);
    });
}

import type { Child } from 'hono/jsx';
import type { PageContext } from '../http/i18n.js';
import { lightText, roleText } from '../http/labels.js';

/**
 * The pages' style: readable at phone width, printable, every colour paired with a word. In the page's `<style>`,
 * allowed by its hash in the Content-Security-Policy (security-headers.ts).
 */
export const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f6f7f9;line-height:1.5}
a{color:#0b57d0}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:9}
header.site{background:#0d3b66;color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;gap:8px 20px;align-items:center}
header.site a{color:#fff}
header.site .brand{font-weight:700;font-size:1.1rem;text-decoration:none}
header.site nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;margin:0;padding:0}
header.site .who{margin-left:auto;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
header.site button{background:none;border:1px solid #fff;color:#fff;border-radius:4px;padding:2px 8px;cursor:pointer;font:inherit}
main{max-width:1180px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.2em 0 .6em}
h2{font-size:1.2rem;margin:1.4em 0 .5em}
h3{font-size:1.05rem;margin:1em 0 .4em}
section.card>h2:first-child,section.card>h3:first-child{margin-top:.2em}
section.card,div.card{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:12px 16px;margin:12px 0}
.grid{display:grid;gap:12px;grid-template-columns:repeat(auto-fit,minmax(160px,1fr))}
.stat{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:10px 14px}
.stat .n{font-size:1.8rem;font-weight:700}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
.light{display:inline-block;border-radius:10px;padding:0 8px;font-size:.85rem;font-weight:600;white-space:nowrap}
.light-red{background:#fde2e1;color:#8a1c14}.light-yellow{background:#fff1c2;color:#6b4e00}.light-green{background:#dff3e4;color:#1d5e2c}
.status{font-size:.85rem;white-space:nowrap}
.flash{background:#e6f4ea;border:1px solid #8cc79a;padding:8px 12px;border-radius:6px}
.error{background:#fde2e1;border:1px solid #e59a94;padding:8px 12px;border-radius:6px}
form.inline{display:inline}
label{display:block;font-weight:600;margin-top:6px}
input[type=text],input[type=password],input[type=datetime-local],select,textarea{width:100%;max-width:560px;padding:6px;border:1px solid #8a94a3;border-radius:4px;font:inherit}
textarea{min-height:4em}
fieldset{border:1px solid #d9dde3;border-radius:6px;margin:8px 0}
.check label,.check{font-weight:normal;display:flex;gap:6px;align-items:flex-start}
button,.button{background:#0b57d0;color:#fff;border:0;border-radius:4px;padding:7px 14px;font:inherit;cursor:pointer;text-decoration:none;display:inline-block;margin-top:8px}
button.secondary{background:#fff;color:#0b57d0;border:1px solid #0b57d0}
.muted{color:#555}
.hint{color:#555;font-size:.9rem}
details{margin:6px 0}
summary{cursor:pointer;color:#0b57d0}
figure{margin:0}
figure svg{max-width:100%;height:auto;background:#fff}
figcaption{font-size:.9rem;color:#555}
.users{display:grid;gap:8px;grid-template-columns:repeat(auto-fit,minmax(220px,1fr))}
.users button{width:100%;text-align:left;margin:0}
.todo-list{list-style:none;padding:0;margin:0}
.todo{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:8px 12px;margin:6px 0}
.todo details{margin:4px 0 0}
.kind{font-weight:600;font-size:.9rem;background:#eef1f5;border-radius:4px;padding:0 6px;white-space:nowrap}
.kind-supplement,.kind-reapply{background:#fff1c2}
.pager{display:flex;gap:16px;margin:12px 0;flex-wrap:wrap}
@media (max-width:640px){main{padding:10px}th,td{padding:5px}h1{font-size:1.3rem}
header.site{padding:8px 10px}
table.cards thead{position:absolute;left:-9999px}
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards{background:none}
table.cards tr{background:#fff;border:1px solid #d9dde3;border-radius:8px;margin:8px 0;padding:6px 10px}
table.cards td{border:0;padding:2px 0;overflow-wrap:anywhere}
table.cards td[data-label]::before{content:attr(data-label) "：";font-weight:600;color:#555}
/* a chart keeps its own size (its text readable) and scrolls sideways in its frame */
.scroll figure svg{max-width:none}
input[type=text],input[type=password],input[type=datetime-local],select,textarea{max-width:100%}
pre,code{white-space:pre-wrap;overflow-wrap:anywhere}}
@media print{header.site,.noprint,form{display:none}body{background:#fff}section.card{border:0}}
`;

type NavLink = { href: string; zh: string; en: string };

function navOf(ctx: PageContext): NavLink[] {
  const p = ctx.principal;
  const guide: NavLink[] = [
    { href: '/guide', zh: '办事指南', en: 'Service guide' },
    { href: '/lookup', zh: '进度查询', en: 'Progress lookup' },
  ];
  if (!p) return guide;
  const projects = { href: '/app/projects', zh: '项目', en: 'Projects' };
  const meetings = { href: '/app/meetings', zh: '联审会', en: 'Meetings' };
  const notices = { href: '/app/notifications', zh: '消息', en: 'Notifications' };
  const weekly = { href: '/app/reports/weekly', zh: '周报', en: 'Weekly report' };
  const complaints = { href: '/app/complaints', zh: '效能投诉', en: 'Complaints' };
  switch (p.role) {
    case 'investor':
      return [{ href: '/app/projects', zh: '我的项目', en: 'My projects' }, complaints, notices, ...guide];
    case 'agent':
      return [
        { href: '/app/work', zh: '工作台', en: 'Workbench' },
        projects,
        { href: '/app/batches', zh: '上下协同', en: 'Batches' },
        meetings,
        complaints,
        notices,
        ...guide,
      ];
    case 'officer':
      return [
        { href: '/app/inbox', zh: '部门待办', en: 'Department inbox' },
        projects,
        meetings,
        complaints,
        notices,
      ];
    case 'leader':
      return [
        { href: '/app/dashboard', zh: '督办看板', en: 'Dashboard' },
        projects,
        meetings,
        complaints,
        weekly,
        notices,
      ];
    case 'efficiency':
      // 效能办: the complaints it handles, the departments' complaint figures and the weekly report
      return [
        { href: '/app/complaints', zh: '效能投诉', en: 'Complaints' },
        { href: '/app/reports/complaints', zh: '投诉统计', en: 'Complaint figures' },
        weekly,
        notices,
        ...guide,
      ];
    case 'admin':
      return [
        { href: '/app/admin', zh: '系统管理', en: 'Administration' },
        { href: '/app/dashboard', zh: '督办看板', en: 'Dashboard' },
        projects,
        weekly,
      ];
  }
}

/** The same page in the other language. */
function switchHref(ctx: PageContext): string {
  const url = new URL(ctx.path, 'http://x');
  url.searchParams.set('lang', ctx.lang === 'en' ? 'zh' : 'en');
  return `${url.pathname}?${url.searchParams.toString()}`;
}

/** Every page: the header with what the signed-in role may open, the language switch, and the content. */
export function Layout(props: {
  ctx: PageContext;
  title: string;
  children?: Child;
  flash?: string | undefined;
  error?: string | undefined;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <html lang={ctx.lang === 'en' ? 'en' : 'zh-CN'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${t('代办', 'Daiban')}`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <a class="skip" href="#main">
          {t('跳到正文', 'Skip to content')}
        </a>
        <header class="site">
          <a class="brand" href="/">
            {t('重点项目代办', 'Daiban · project agency')}
          </a>
          <nav aria-label={t('主导航', 'Main')}>
            <ul>
              {navOf(ctx).map((link) => (
                <li>
                  <a href={link.href}>{t(link.zh, link.en)}</a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="who">
            <a href={switchHref(ctx)} lang={ctx.lang === 'en' ? 'zh-CN' : 'en'}>
              {ctx.lang === 'en' ? '中文' : 'English'}
            </a>
            {ctx.principal ? (
              <>
                <span>
                  {ctx.principal.name}（{roleText(t, ctx.principal.role)}）
                </span>
                <form class="inline" method="post" action="/sign-out">
                  <button type="submit">{t('退出', 'Sign out')}</button>
                </form>
              </>
            ) : (
              <a href="/sign-in">{t('登录', 'Sign in')}</a>
            )}
          </div>
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.flash ? (
            <p class="flash" role="status">
              {props.flash}
            </p>
          ) : null}
          {props.error ? (
            <p class="error" role="alert">
              {props.error}
            </p>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A light as a word on its colour (never colour alone). */
export function LightBadge(props: { ctx: PageContext; light: string | null | undefined }) {
  if (!props.light) return <span class="muted">—</span>;
  return <span class={`light light-${props.light}`}>{lightText(props.ctx.t, props.light)}</span>;
}

/**
 * A table of the pages: its column heads (a word becomes a column head; an element or a list of them stands as it
 * is; null leaves the column out) over its rows, scrolling sideways on a phone.
 */
export function Table(props: { label: string; heads: Child[]; class?: string; children?: Child }) {
  return (
    <Scroll label={props.label}>
      <table class={props.class}>
        <thead>
          <tr>
            {props.heads.map((head) => (typeof head === 'string' ? <th scope="col">{head}</th> : head))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </Scroll>
  );
}

/** A project in a table's row: its name linking to its page, its code beneath (`label` names the cell on a phone). */
export function ProjectCell(props: {
  project: { projectId: string; projectName: string; projectCode: string };
  label?: string;
}) {
  const { project } = props;
  return (
    <td data-label={props.label}>
      <a href={`/app/projects/${project.projectId}`}>{project.projectName}</a>
      <div class="muted">{project.projectCode}</div>
    </td>
  );
}

/** A wide table that scrolls sideways on a phone, reachable by keyboard. */
export function Scroll(props: { label: string; children?: Child }) {
  return (
    <section class="scroll" aria-label={props.label} tabindex={0}>
      {props.children}
    </section>
  );
}

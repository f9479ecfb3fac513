import type { Principal } from '../../shared/domain/principal.js';

/** The pages speak Chinese by default; `?lang=en` (kept in a cookie) switches to English. */
export type Lang = 'zh' | 'en';

/** Picks the text of the page's language: `t('待办', 'To do')`. */
export type Translate = (zh: string, en: string) => string;

export const translator =
  (lang: Lang): Translate =>
  (zh, en) =>
    lang === 'en' ? en : zh;

/** What every page knows about its request: the language, the signed-in person (if any), the path. */
export type PageContext = {
  lang: Lang;
  t: Translate;
  principal?: Principal;
  /** the path and query of the page, for the language switch and sign-in's way back */
  path: string;
};

/** A name in the page's language when the data has both (chains, stages, steps, departments). */
export const named = (ctx: { lang: Lang }, thing: { name: string; nameEn?: string | null }): string =>
  ctx.lang === 'en' && thing.nameEn ? thing.nameEn : thing.name;

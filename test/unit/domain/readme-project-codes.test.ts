import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeYearProblem, nationalCodeProblem } from '../../../shared/domain/project-code.js';
import { chinaDate } from '../../../shared/domain/working-days.js';

/** Every project code the README and docs/ show (GB/T 40058-2021 codes and codes of the earlier rules). */
const docs = new URL('../../../docs/', import.meta.url);
const texts = [
  readFileSync(new URL('../../../README.md', import.meta.url), 'utf8'),
  ...readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .map((name) => readFileSync(new URL(name, docs), 'utf8')),
];
const codes = [
  ...new Set(texts.flatMap((text) => text.match(/\b\d{4}-\d{6}-\d{2}-\d{2}-\d{5}[\dX]\b/g) ?? [])),
];

describe('the example project codes of the README and docs/', () => {
  it('shows at least one project code', () => {
    expect(codes.length).toBeGreaterThan(0);
  });

  it.each(codes)('%s is a code the national platform could have issued', (code) => {
    const thisYear = Number(chinaDate(new Date()).slice(0, 4));
    expect(nationalCodeProblem(code)).toBeUndefined();
    expect(codeYearProblem(code, thisYear)).toBeUndefined();
  });
});

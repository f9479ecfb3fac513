import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('the README, for a newcomer', () => {
  const readme = read('README.md');

  it('fits in 200 lines and gives the two commands', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });

  it('links only to documents that exist', () => {
    const links = [...readme.matchAll(/\]\(((?:docs\/)?[\w./-]+\.md)(?:#[\w-]+)?\)/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThan(4);
    for (const link of links) expect(existsSync(new URL(link, root)), link).toBe(true);
  });
});

describe('docs/architecture.md, where each rule lives', () => {
  const architecture = read('docs/architecture.md');
  const table = architecture.slice(architecture.indexOf('## Where each rule lives'));
  const rows = table
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| rule') && !line.startsWith('| ---'));

  it('maps every rule to a shared/domain file, and every file it names exists', () => {
    expect(rows.length).toBeGreaterThan(25);
    for (const row of rows) {
      const [, domainCell = '', appCell = ''] = row.split(' | ');
      const files = (cell: string) => [...cell.matchAll(/`([\w/.-]+\.ts)`/g)].map((m) => m[1] ?? '');
      const domainFiles = files(domainCell);
      expect(domainFiles.length, row).toBeGreaterThan(0);
      for (const file of domainFiles) {
        const path = file.startsWith('shared/') ? file : `shared/domain/${file}`;
        expect(existsSync(new URL(path, root)), `${path} (${row.slice(0, 60)})`).toBe(true);
      }
      for (const file of files(appCell)) {
        expect(existsSync(new URL(`shared/app/${file}`, root)), `shared/app/${file}`).toBe(true);
      }
    }
  });
});

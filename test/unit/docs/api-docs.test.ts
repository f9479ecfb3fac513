import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_DOCS_FILE, openApiDocument, renderApiDocs, typeOf } from '../../../infra/dev/api-docs.js';

describe('docs/api.md', () => {
  it('is what npm run docs:api makes of the OpenAPI document the API serves (run it after changing a route)', async () => {
    // Arrange
    const doc = await openApiDocument();

    // Act
    const generated = renderApiDocs(doc);

    // Assess
    expect(readFileSync(API_DOCS_FILE, 'utf8')).toBe(generated);
  });

  it('lists every operation of the document, and would tell a route added or removed', async () => {
    // Arrange
    const doc = await openApiDocument();
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `### \`${method.toUpperCase()} ${path}\``),
    );
    const withExtraRoute = {
      ...doc,
      paths: { ...doc.paths, '/planted': { get: { responses: { 200: { description: 'planted' } } } } },
    };

    // Act
    const text = renderApiDocs(doc);

    // Assess
    expect(operations.length).toBeGreaterThan(60);
    for (const heading of operations) expect(text).toContain(heading);
    expect(renderApiDocs(withExtraRoute)).not.toBe(text);
  });

  it('says a field in a few words: bounds, patterns, enums, arrays and references', () => {
    expect(typeOf({ type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z]+$' })).toBe(
      'string (1–64 chars, `^[a-z]+$`)',
    );
    expect(typeOf({ type: 'integer', minimum: 1, maximum: 100, default: 50 })).toBe(
      'integer (1–100, default 50)',
    );
    expect(typeOf({ type: 'string', enum: ['attend', 'leave'] })).toBe('"attend" \\| "leave"');
    expect(typeOf({ type: 'array', items: { $ref: '#/components/schemas/Approval' } })).toBe('Approval[]');
  });
});

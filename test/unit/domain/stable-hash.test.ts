import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../shared/domain/stable-hash.js';

describe('a stable hash of a text', () => {
  it('is the SHA-256 of its UTF-8 bytes, whatever its length', () => {
    for (const text of [
      '',
      'abc',
      '南京'.repeat(100),
      'x'.repeat(55),
      'x'.repeat(56),
      'x'.repeat(64),
      'y'.repeat(1000),
    ])
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
  });
});

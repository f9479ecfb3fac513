import { z } from 'zod';

/**
 * A number DynamoDB can store: finite, and 0 or of a magnitude between 1e-130 and 1e126 (JavaScript's 5e-324 or
 * 1e308 are valid doubles DynamoDB refuses).
 */
export const StorableNumberSchema = z
  .number()
  .finite()
  .refine((n) => n === 0 || (Math.abs(n) >= 1e-130 && Math.abs(n) < 1e126), {
    message:
      'is outside the range of numbers that can be stored (0, or a magnitude between 1e-130 and 1e126)',
  });

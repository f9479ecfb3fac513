import { describe, expect, it } from 'vitest';
import { appliesTo, resolveProjectAttributes } from '../../../shared/domain/applicability.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import { referenceChain } from '../../../shared/domain/reference/industrial-chain.js';

describe('appliesTo', () => {
  const project = { hazardousWorks: false, siteAreaM2: 30000, district: 'JN' };

  it('applies a step without a rule to every project', () => {
    expect(appliesTo(undefined, {})).toBe(true);
  });

  it('compares equals, in, atLeast and below', () => {
    // Assess
    expect(appliesTo({ attribute: 'hazardousWorks', equals: true }, project)).toBe(false);
    expect(appliesTo({ attribute: 'hazardousWorks', equals: false }, project)).toBe(true);
    expect(appliesTo({ attribute: 'district', in: ['JN', 'QH'] }, project)).toBe(true);
    expect(appliesTo({ attribute: 'siteAreaM2', atLeast: 30000 }, project)).toBe(true);
    expect(appliesTo({ attribute: 'siteAreaM2', atLeast: 30001 }, project)).toBe(false);
    expect(appliesTo({ attribute: 'siteAreaM2', below: 30000 }, project)).toBe(false);
  });

  it('combines rules with all, any and not', () => {
    // Prepare
    const large = { attribute: 'siteAreaM2', atLeast: 20000 };
    const hazardous = { attribute: 'hazardousWorks', equals: true };

    // Assess
    expect(appliesTo({ any: [hazardous, large] }, project)).toBe(true);
    expect(appliesTo({ all: [hazardous, large] }, project)).toBe(false);
    expect(appliesTo({ not: hazardous }, project)).toBe(true);
  });

  it('treats a comparison on a missing attribute as false', () => {
    // Assess
    expect(appliesTo({ attribute: 'roadWorks', equals: true }, project)).toBe(false);
    expect(appliesTo({ attribute: 'roadWorks', below: 1 }, project)).toBe(false);
    expect(appliesTo({ attribute: 'toString', equals: true }, project)).toBe(false);
  });

  it('does not compare numbers with strings', () => {
    expect(appliesTo({ attribute: 'siteAreaM2', atLeast: 1 }, { siteAreaM2: '30000' })).toBe(false);
  });
});

describe('resolveProjectAttributes', () => {
  it('fills every attribute the project does not give with its default', () => {
    // Act
    const attributes = resolveProjectAttributes(referenceChain, { hazardousWorks: true });

    // Assess
    expect(attributes).toEqual({
      hazardousWorks: true,
      eiaReportBook: false,
      majorHazardSource: false,
      siteAreaM2: 30000,
      needsCivilAirDefence: true,
      temporaryWorks: false,
      roadWorks: true,
    });
  });

  it('names unknown attributes and the ones the chain knows', () => {
    // Act
    const act = () => resolveProjectAttributes(referenceChain, { foo: 1 });

    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(
      "unknown attribute 'foo'; this chain knows: hazardousWorks, eiaReportBook, majorHazardSource, siteAreaM2, needsCivilAirDefence, temporaryWorks, roadWorks",
    );
  });

  it('names attributes of the wrong type, all at once', () => {
    // Act
    let error: unknown;
    try {
      resolveProjectAttributes(referenceChain, { siteAreaM2: '30000', roadWorks: 'yes' });
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).code).toBe('PROJECT.ATTRIBUTES');
    expect((error as InvalidInputError).details).toEqual({
      problems: ["attribute 'siteAreaM2' must be a number", "attribute 'roadWorks' must be a boolean"],
    });
  });

  it('refuses a number that is not finite', () => {
    expect(() => resolveProjectAttributes(referenceChain, { siteAreaM2: Number.NaN })).toThrow(
      "attribute 'siteAreaM2' must be a number",
    );
  });
});

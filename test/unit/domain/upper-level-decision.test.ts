import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/domain/principal.js';
import { decidedOnBehalf, deciderOf } from '../../../shared/domain/upper-level-decision.js';

const item = { departmentId: 'PDRC' };
const agent: Principal = { userId: 'agent-wang', role: 'agent', name: '王代办' };
const leadOfficer: Principal = { userId: 'officer-li', role: 'officer', name: '李', departmentId: 'DRC' };
const ownOfficer: Principal = { userId: 'officer-zhou', role: 'officer', name: '周', departmentId: 'PDRC' };

describe('upper-level decisions (上下协同)', () => {
  it("records a city or provincial department's decision entered by the agent as made on its behalf", () => {
    expect(decidedOnBehalf(agent, item, 'province')).toBe(true);
    expect(deciderOf(agent, item, 'city')).toEqual({ userId: 'agent-wang', via: 'upper_level' });
  });

  it("records one entered by the stage's lead department as made on the upper level's behalf too", () => {
    expect(deciderOf(leadOfficer, item, 'province')).toEqual({ userId: 'officer-li', via: 'upper_level' });
  });

  it('records a decision by an officer of the department that holds the step as its own, whatever its level', () => {
    expect(deciderOf(ownOfficer, item, 'province')).toEqual({ userId: 'officer-zhou' });
  });

  it("never marks a district department's decision, nor one of a department whose level is unknown", () => {
    expect(decidedOnBehalf(agent, item, 'district')).toBe(false);
    expect(deciderOf(leadOfficer, item, undefined)).toEqual({ userId: 'officer-li' });
  });
});

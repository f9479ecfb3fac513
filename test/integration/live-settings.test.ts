import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalTable, openLocalTable } from '../../infra/local/system.js';
import { CALENDAR_SETTING, LiveSettings, SLA_POLICY_SETTING } from '../../shared/app/live-settings.js';
import { calendarDataWith, chineseDaysCalendar } from '../../shared/calendar/chinese-days-calendar.js';
import { DEFAULT_SLA_POLICY } from '../../shared/domain/sla-policy.js';

describe('live settings: what an admin changes reaches every process', () => {
  let table: LocalTable;

  beforeAll(async () => {
    table = await openLocalTable({
      endpoint: inject('dynamoEndpoint'),
      tableName: `live-settings-${process.pid}-${Date.now()}`,
    });
  });
  afterAll(() => table?.close());

  it('reads the calendar and the SLA policy together, one request for both', async () => {
    // Prepare: a process that has read the settings (none stored yet), then an admin changes both
    let requests = 0;
    const settings = new LiveSettings(chineseDaysCalendar(), calendarDataWith, 0);
    const counted = {
      getSettings: (names: readonly string[]) => {
        requests += 1;
        return table.store.getSettings(names);
      },
    };
    await settings.refresh(counted as never);
    const closure = { years: {}, closures: { '2026-06-01': '防汛' } };
    await table.store.putSetting(CALENDAR_SETTING, closure);
    await table.store.putSetting(SLA_POLICY_SETTING, { ...DEFAULT_SLA_POLICY, yellowDaysLeft: 3 });
    requests = 0;

    // Act
    await settings.refresh(counted as never);

    // Assess
    expect(requests).toBe(1);
    expect(settings.overrides).toEqual(closure);
    expect(settings.sla.yellowDaysLeft).toBe(3);
  });

  it('gives the settings stored and leaves out those that are not', async () => {
    // Prepare
    await table.store.putSetting('stored-one', { a: 1 });

    // Act
    const found = await table.store.getSettings(['stored-one', 'never-stored']);

    // Assess
    expect([...found.keys()]).toEqual(['stored-one']);
    expect(found.get('stored-one')).toEqual({ value: { a: 1 }, revision: 1 });
  });
});

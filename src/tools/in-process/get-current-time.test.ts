import { describeTime, getCurrentTime, isValidTimeZone } from './get-current-time';

describe('isValidTimeZone', () => {
  it.each(['Europe/Madrid', 'UTC', 'America/Mexico_City', 'Asia/Kolkata'])('accepts %s', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });

  it.each(['Mars/Olympus', "'; rm -rf /", '', 'Europe/'])('rejects %j', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});

describe('describeTime', () => {
  const winterNoonUtc = new Date('2026-01-15T12:00:00Z');

  it('gives Madrid wall-clock time, offset and weekday in winter', () => {
    expect(describeTime(winterNoonUtc, 'Europe/Madrid')).toEqual({
      timezone: 'Europe/Madrid',
      local_time: '2026-01-15T13:00:00+01:00',
      utc_offset: '+01:00',
      utc_time: '2026-01-15T12:00:00.000Z',
      weekday: 'Thursday',
    });
  });

  it('gives Madrid +02:00 in July (summer time)', () => {
    expect(describeTime(new Date('2026-07-15T12:00:00Z'), 'Europe/Madrid')).toMatchObject({
      local_time: '2026-07-15T14:00:00+02:00',
      utc_offset: '+02:00',
      weekday: 'Wednesday',
    });
  });

  it('gives +00:00 for UTC', () => {
    expect(describeTime(winterNoonUtc, 'UTC')).toMatchObject({
      local_time: '2026-01-15T12:00:00+00:00',
      utc_offset: '+00:00',
      weekday: 'Thursday',
    });
  });

  it('moves the date and weekday back for a zone west of UTC', () => {
    expect(describeTime(new Date('2026-01-15T00:00:00Z'), 'America/Mexico_City')).toMatchObject({
      local_time: '2026-01-14T18:00:00-06:00',
      utc_offset: '-06:00',
      weekday: 'Wednesday',
    });
  });

  it('handles half-hour offsets and midnight roll-over', () => {
    expect(describeTime(new Date('2026-01-15T23:30:00Z'), 'Asia/Kolkata')).toMatchObject({
      local_time: '2026-01-16T05:00:00+05:30',
      utc_offset: '+05:30',
      weekday: 'Friday',
    });
  });

  it('writes midnight as 00, not 24', () => {
    expect(describeTime(new Date('2026-01-15T00:00:00Z'), 'UTC').local_time).toBe(
      '2026-01-15T00:00:00+00:00',
    );
  });
});

describe('get_current_time tool', () => {
  const signal = new AbortController().signal;

  afterEach(() => {
    jest.useRealTimers();
  });

  it('rejects an invalid zone with a message naming IANA', () => {
    const parsed = getCurrentTime.argumentsSchema.safeParse({ timezone: 'Mars/Olympus' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ['timezone'],
        message: 'must be an IANA time zone such as "Europe/Madrid" or "UTC"',
      }),
    ]);
  });

  it('rejects extra fields', () => {
    expect(
      getCurrentTime.argumentsSchema.safeParse({ timezone: 'UTC', format: 'iso' }).success,
    ).toBe(false);
  });

  it('accepts no zone at all', () => {
    expect(getCurrentTime.argumentsSchema.safeParse({})).toEqual({ success: true, data: {} });
  });

  it('defaults to UTC and reports the current time', () => {
    jest.useFakeTimers({ now: new Date('2026-03-02T09:15:30Z') });
    expect(getCurrentTime.run({}, { signal })).toEqual({
      timezone: 'UTC',
      local_time: '2026-03-02T09:15:30+00:00',
      utc_offset: '+00:00',
      utc_time: '2026-03-02T09:15:30.000Z',
      weekday: 'Monday',
    });
  });

  it('uses the zone it is given', () => {
    jest.useFakeTimers({ now: new Date('2026-03-02T09:15:30Z') });
    expect(getCurrentTime.run({ timezone: 'Europe/Madrid' }, { signal })).toMatchObject({
      timezone: 'Europe/Madrid',
      local_time: '2026-03-02T10:15:30+01:00',
    });
  });
});

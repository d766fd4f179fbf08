import { z } from 'zod';
import { defineTool } from '../tool';

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function offsetOf(date: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(date)
    .find((item) => item.type === 'timeZoneName');
  const offset = part?.value.replace('GMT', '') ?? '';
  return offset === '' ? '+00:00' : offset;
}

/** `YYYY-MM-DDTHH:mm:ss` in the zone's wall-clock time. */
function localDateTime(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

export function describeTime(date: Date, timeZone: string) {
  const offset = offsetOf(date, timeZone);
  return {
    timezone: timeZone,
    local_time: `${localDateTime(date, timeZone)}${offset}`,
    utc_offset: offset,
    utc_time: date.toISOString(),
    weekday: new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long' }).format(date),
  };
}

export const getCurrentTime = defineTool({
  name: 'get_current_time',
  description:
    'The current date and time in an IANA time zone (e.g. "Europe/Madrid"); UTC when no zone is given.',
  argumentsSchema: z
    .object({
      timezone: z
        .string()
        .max(64)
        .refine(isValidTimeZone, {
          message: 'must be an IANA time zone such as "Europe/Madrid" or "UTC"',
        })
        .optional()
        .describe('IANA time zone name, e.g. "America/Mexico_City"'),
    })
    .strict(),
  run: ({ timezone = 'UTC' }) => describeTime(new Date(), timezone),
});

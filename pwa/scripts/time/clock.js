// The browser's side of server/db/clock.py: a moment is UTC text with milliseconds
// ("2026-12-02T17:13:51.123Z", what the server stores), and the council's wall clock is
// Europe/London's, whatever zone the device is set to.
export const COUNCIL_TIME_ZONE = 'Europe/London';

export function nowIso(now = new Date()) {
    return now.toISOString();
}

const wallClocks = new Map();

// {year, month, day, hour, minute, second} of `moment` (a Date) in `timeZone`.
export function wallClock(moment, timeZone = COUNCIL_TIME_ZONE) {
    if (!wallClocks.has(timeZone)) {
        wallClocks.set(timeZone, new Intl.DateTimeFormat('en-GB', {
            timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
            hour: 'numeric', minute: 'numeric', second: 'numeric',
        }));
    }
    const parts = {};
    for (const part of wallClocks.get(timeZone).formatToParts(moment)) {
        if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    return {
        year: parts.year, month: parts.month, day: parts.day,
        hour: parts.hour, minute: parts.minute, second: parts.second,
    };
}

// Today's date where the council is, as YYYY-MM-DD.
export function councilToday(now = new Date()) {
    const { year, month, day } = wallClock(now);
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// An alarm of the preview row ("duration:-PT15M" or "at:ISO") in words: "15 minutes before",
// "1 day before", "at the start", or the absolute time. Pure.

const UNITS: Array<[RegExp, string]> = [[/(\d+)W/, 'week'], [/(\d+)D/, 'day'], [/(\d+)H/, 'hour'], [/(\d+)M/, 'minute'], [/(\d+)S/, 'second']];

export function alarmText(alarm: string, locale?: string): string {
  if (alarm.startsWith('at:')) {
    const d = new Date(alarm.slice(3));
    return Number.isNaN(d.getTime()) ? 'At a set time' : `At ${d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })}`;
  }
  const m = /^duration:([+-]?)P(.*)$/.exec(alarm);
  if (!m) return 'A reminder';
  const [date, time = ''] = m[2].split('T');
  const bits: string[] = [];
  for (const [re, name] of UNITS) {
    const src = name === 'minute' || name === 'second' || name === 'hour' ? time : date;
    const v = re.exec(src);
    if (v && Number(v[1])) bits.push(`${Number(v[1])} ${name}${Number(v[1]) === 1 ? '' : 's'}`);
  }
  if (!bits.length) return 'At the start';
  return `${bits.join(' ')} ${m[1] === '-' ? 'before' : 'after'} the start`;
}

// The last gate before the feed (electron/core/ical/output-check.ts): a component's text that would
// put structure of its own into the feed, or a value calendar programs cannot read, is refused.
import { describe, expect, it } from 'vitest';
import { checkComponentText } from '../../../electron/core/ical/output-check.ts';

describe('the output check', () => {
  const base = 'BEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T100000Z\r\n';
  const check = (body: string) => checkComponentText(`${base}${body}END:VEVENT`, 'vevent');
  it('takes a plain component, folded lines included', () => {
    expect(check('SUMMARY:a long\r\n  folded line\r\n').ok).toBe(true);
  });
  it.each([
    ['a line break inside a value', 'X-A;VALUE=TEXT:1\nEND:VEVENT\r\n', /a line break inside line/],
    ['a second component', 'END:VEVENT\r\nBEGIN:VEVENT\r\nUID:y\r\n', /text after END:VEVENT|no END/],
    ['END:VCALENDAR', 'END:VCALENDAR\r\n', /END:VCALENDAR closes BEGIN:VEVENT/],
    ['a nested VEVENT', 'BEGIN:VEVENT\r\nUID:y\r\nEND:VEVENT\r\n', /a VEVENT inside VEVENT/],
    ['a value type that is not a token', 'X-A;VALUE=TEXT^nEND:x\r\n', /VALUE parameter that is not a value type/],
    ['a quote inside a quoted parameter', 'ATTENDEE;CN="a"b":mailto:x\r\n', /not a well-formed content line/],
    ['a control character', 'SUMMARY:a\x00b\r\n', /control character U\+0000/],
    ['an impossible date', 'DTEND:20261301T000000Z\r\n', /month 13/],
    ['a BEGIN with parameters', 'BEGIN;X=1:VALARM\r\nEND:VALARM\r\n', /a malformed BEGIN line/],
    ['a second UID', 'UID:y\r\n', /UID given twice/],
  ])('refuses %s', (_what, body, reason) => {
    const r = check(body);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(reason);
  });
});

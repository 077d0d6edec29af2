# Expands a feed's VEVENTs the way a python-vobject/dateutil client would: RRULE, RDATE and EXDATE by
# dateutil, overrides matched to instances by RECURRENCE-ID. Test-only; prints JSON, changes nothing.
# Usage: /usr/bin/python3 expand-ics.py FILE.ics  ->  ["2026-01-05T10:00Z Weekly", ...]
import datetime
import itertools
import json
import sys

import vobject

UTC = datetime.timezone.utc
# Why: the golden cases run within 2026; a bound keeps open rules finite.
UNTIL = datetime.datetime(2027, 1, 1, tzinfo=UTC)


def norm(value, all_day):
    if isinstance(value, datetime.datetime):
        if all_day:
            return value.date().isoformat()
        if value.tzinfo is None:
            return value.strftime('%Y-%m-%dT%H:%M')
        return value.astimezone(UTC).strftime('%Y-%m-%dT%H:%MZ')
    return value.isoformat()


def label(comp, start, all_day):
    summary = comp.summary.value if hasattr(comp, 'summary') else ''
    status = comp.status.value.upper() if hasattr(comp, 'status') else ''
    return f"{norm(start, all_day)} {summary}{' (cancelled)' if status == 'CANCELLED' else ''}"


def main(path):
    with open(path, encoding='utf-8') as f:
        cal = vobject.readOne(f.read())
    masters, overrides = {}, {}
    for ev in cal.contents.get('vevent', []):
        if hasattr(ev, 'recurrence_id'):
            overrides.setdefault(ev.uid.value, []).append(ev)
        else:
            masters[ev.uid.value] = ev
    out = []
    for uid, m in masters.items():
        start = m.dtstart.value
        all_day = not isinstance(start, datetime.datetime)
        rules = m.getrruleset(addRDate=True)
        if rules is None:
            starts = [start]
        else:
            bound = UNTIL.replace(tzinfo=None) if all_day or start.tzinfo is None else UNTIL
            starts = list(itertools.takewhile(lambda s: s < bound, rules))
        by_rid = {norm(o.recurrence_id.value, all_day): o for o in overrides.pop(uid, [])}
        for s in starts:
            o = by_rid.pop(norm(s, all_day), None)
            out.append(label(o, o.dtstart.value, all_day) if o else label(m, s, all_day))
        # Overrides of instances the series does not generate: readers differ; shown as such.
        for key, o in by_rid.items():
            out.append('orphan ' + label(o, o.dtstart.value, all_day))
    for uid, list_ in overrides.items():
        for o in list_:
            out.append(label(o, o.dtstart.value, not isinstance(o.dtstart.value, datetime.datetime)))
    print(json.dumps(sorted(out)))


if __name__ == '__main__':
    main(sys.argv[1])

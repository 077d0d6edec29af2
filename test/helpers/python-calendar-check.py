# Reads an .ics file the way python3-icalendar or python3-vobject users do and prints the errors as a
# JSON list (empty: the library read every component and every date). Test-only; never writes anything.
import json
import sys

which, path = sys.argv[1], sys.argv[2]
data = open(path, 'rb').read()
errors = []
# Every property whose value a calendar program turns into a date or time.
DATES = ['DTSTART', 'DTEND', 'DUE', 'RECURRENCE-ID', 'DTSTAMP', 'CREATED', 'LAST-MODIFIED', 'COMPLETED']
LISTS = ['EXDATE', 'RDATE']

if which == 'icalendar':
    import icalendar
    try:
        cals = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as e:
        errors.append('from_ical: %r' % e)
        cals = []
    for cal in cals:
        for comp in cal.walk():
            # icalendar keeps going past a value it cannot read and lists it in .errors.
            if getattr(comp, 'errors', None):
                errors.append('%s: %r' % (comp.name, comp.errors))
            for name in DATES:
                if name in comp:
                    try:
                        comp[name].dt
                    except Exception as e:
                        errors.append('%s %s: %r' % (comp.name, name, e))
            for name in LISTS:
                if name in comp:
                    vals = comp[name] if isinstance(comp[name], list) else [comp[name]]
                    for v in vals:
                        try:
                            [d.dt for d in v.dts]
                        except Exception as e:
                            errors.append('%s %s: %r' % (comp.name, name, e))
            if 'RRULE' in comp:
                try:
                    comp['RRULE'].to_ical()
                except Exception as e:
                    errors.append('%s RRULE: %r' % (comp.name, e))
elif which == 'vobject':
    import vobject
    try:
        for cal in vobject.readComponents(data.decode('utf-8')):
            for comp in cal.getChildren():
                if comp.name not in ('VEVENT', 'VTODO', 'VJOURNAL'):
                    continue
                for name in ('dtstart', 'dtend', 'due', 'recurrence_id'):
                    if hasattr(comp, name):
                        try:
                            getattr(comp, name).value
                        except Exception as e:
                            errors.append('%s %s: %r' % (comp.name, name, e))
                if hasattr(comp, 'rrule') or hasattr(comp, 'rdate'):
                    try:
                        comp.getrruleset(addRDate=True)
                    except Exception as e:
                        errors.append('%s rruleset: %r' % (comp.name, e))
    except Exception as e:
        errors.append('readComponents: %r' % e)
else:
    errors.append('unknown library ' + which)
print(json.dumps(errors))

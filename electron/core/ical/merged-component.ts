// One component of the merge's result: the text it came with, or the ical.js component the merge
// built or changed. Parsed only on first change; never serialized here.
import ICAL from 'ical.js';
import type { Entry } from './merge.ts';
import type { CheckedText } from './output-check.ts';

export interface MergedComponent {
  uid: string;
  kind: string;
  /** The instance key in its series' terms; null for a master. */
  recurKey: string | null;
  recurrenceId?: string;
  /** The entry whose content (or cancellation) decided this component. */
  decidedBy: Entry;
  cancelled: boolean;
  /** The output text (checked), unless the merge built or changed the component (then `comp`, checked when written). */
  text?: CheckedText;
  comp?: ICAL.Component;
  tzids: string[];
  /** How its RECURRENCE-ID is written (undefined: it has none yet, an added instance). */
  ridForm?: string;
  /** The instance exists because a METHOD:ADD added it (the master gets an RDATE). */
  added?: boolean;
  /** An added instance that is just another instance of the series: the RDATE says all. */
  rdateOnly?: boolean;
}

/** The merged component as an ical.js component (parsed on first use; later changes go to it). */
export function componentOf(m: MergedComponent): ICAL.Component {
  if (!m.comp) {
    m.comp = ICAL.Component.fromString(m.text!);
    m.text = undefined;
  }
  return m.comp;
}

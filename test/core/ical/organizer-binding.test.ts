// The organizer binding on its own: which message establishes an event whatever the order, who may
// change it afterwards, how an event changes hands, and what is never bound.
import { describe, expect, it } from 'vitest';
import { bindOrganizer } from '../../../electron/core/ical/organizer-binding.ts';
import type { ItipMessage } from '../../../electron/core/ical/itip-messages.ts';
import { senderMatches } from '../../../electron/core/filters/server-filter.ts';

let order = 0;
function msg(sequence: number, organizer: string | undefined, sender: string | undefined, sentBy?: string): ItipMessage {
  return {
    entries: [], rank: { sequence, dtstamp: 0, messageDate: 0, order: order++ },
    ...(organizer ? { organizer } : {}), ...(sender ? { sender } : {}), ...(sentBy ? { sentBy } : {}), series: true, seriesCancel: false,
  };
}
const nobody = () => false;
const verdict = (messages: ItipMessage[], trusted: (a: string) => boolean = nobody) => {
  const sorted = [...messages].sort((a, b) => a.rank.sequence - b.rank.sequence);
  const { accepted, rejected } = bindOrganizer(sorted, trusted);
  return { accepted: accepted.map((m) => messages.indexOf(m)).sort(), rejected: rejected.map((r) => messages.indexOf(r.message)).sort() };
};

describe('organizer binding', () => {
  it('the organizer\'s own oldest message establishes the event, wherever it sits; others cannot change it', () => {
    const boss = msg(0, 'boss@x.example', 'boss@x.example');
    const update = msg(1, 'boss@x.example', 'boss@x.example');
    const spoof = msg(2, 'boss@x.example', 'mallory@evil.example');
    const takeover = msg(3, 'mallory@evil.example', 'mallory@evil.example');
    for (const list of [[boss, update, spoof, takeover], [takeover, spoof, update, boss]]) {
      expect(verdict(list)).toEqual({ accepted: [list.indexOf(boss), list.indexOf(update)].sort(), rejected: [list.indexOf(spoof), list.indexOf(takeover)].sort() });
    }
  });

  it('a forwarded copy does not establish the event while the organizer\'s own copy is there; without it, the forwarder may update', () => {
    const forwarded = msg(0, 'boss@x.example', 'colleague@x.example');
    const own = msg(0, 'boss@x.example', 'boss@x.example');
    const colleagueUpdate = msg(1, 'boss@x.example', 'colleague@x.example');
    // The forwarded copy itself is refused (and reported) too: it was not sent by the organizer.
    expect(verdict([forwarded, own, colleagueUpdate]).rejected).toEqual([0, 2]);
    // Only forwarded copies: the oldest names the organizer; its sender keeps forwarding updates.
    expect(verdict([forwarded, colleagueUpdate]).rejected).toEqual([]);
  });

  it('SENT-BY of the establishing message may send for the organizer; SENT-BY claimed later may not', () => {
    const first = msg(0, 'boss@x.example', 'assistant@x.example', 'assistant@x.example');
    const byAssistant = msg(1, 'boss@x.example', 'assistant@x.example');
    const claimed = msg(2, 'boss@x.example', 'mallory@evil.example', 'mallory@evil.example');
    expect(verdict([first, byAssistant, claimed]).rejected).toEqual([2]);
  });

  it('hands the event over only when the current organizer sends the change, and binds the new organizer from then on', () => {
    const start = msg(0, 'boss@x.example', 'boss@x.example');
    const handover = msg(1, 'deputy@x.example', 'boss@x.example');
    const deputy = msg(2, 'deputy@x.example', 'deputy@x.example');
    const bossAgain = msg(3, 'boss@x.example', 'boss@x.example');
    expect(verdict([start, handover, deputy, bossAgain]).rejected).toEqual([3]);
    // A new organizer announced by anyone else (or by a file without a sender) is refused.
    expect(verdict([start, msg(1, 'deputy@x.example', 'deputy@x.example')]).rejected).toEqual([1]);
    expect(verdict([start, msg(1, 'deputy@x.example', undefined)]).rejected).toEqual([1]);
  });

  it('trusted senders may send for any organizer, and their message establishes the event before an outsider\'s older one', () => {
    const trusted = (a: string) => senderMatches(['x.example'], a);
    const backdated = msg(0, 'mallory@evil.example', 'mallory@evil.example');
    const boss = msg(1, 'boss@x.example', 'boss@x.example');
    const assistant = msg(2, 'boss@x.example', 'assistant@mail.x.example');
    expect(verdict([backdated, boss, assistant], trusted)).toEqual({ accepted: [1, 2], rejected: [0] });
  });

  it('binds nothing without an ORGANIZER, and checks no sender for files that have none', () => {
    expect(verdict([msg(0, undefined, 'a@x.example'), msg(1, undefined, 'b@y.example')]).rejected).toEqual([]);
    expect(verdict([msg(0, 'boss@x.example', undefined), msg(1, 'boss@x.example', undefined), msg(2, undefined, undefined)]).rejected).toEqual([]);
  });
});

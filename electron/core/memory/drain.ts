// Hands a list's items to one receiver, each dropped from the list as it goes: the receiver becomes
// their only holder, so what it lets go of is garbage at once (a build of thousands of parts).
/** The array's items, each dropped from it as it is handed out: the receiver becomes their only holder. */
export function* drain<T>(items: (T | undefined)[]): Generator<T> {
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    items[i] = undefined;
    yield item;
  }
  items.length = 0;
}

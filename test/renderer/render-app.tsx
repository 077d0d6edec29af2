// Renders a component tree against a fresh fake window API, with a user-event instance, and fills
// in what jsdom lacks: layout (the event list's scroll box gets a real size, as in a window, so the
// virtualizer has a viewport to fill) and Element.scrollTo.
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { createFakeApi, installFakeApi, type FakeApi } from './fake-api.ts';

/** The event list's scroll box: 510 px high, i.e. 15 rows of 34 px. Everything else keeps jsdom's 0. */
export const LIST_VIEWPORT = { width: 900, height: 510 };
const isList = (el: HTMLElement) => el.classList.contains('rows');
for (const [prop, size] of [['clientHeight', 'height'], ['offsetHeight', 'height'], ['clientWidth', 'width'], ['offsetWidth', 'width']] as const) {
  Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get(this: HTMLElement) { return isList(this) ? LIST_VIEWPORT[size] : 0; } });
}
// The scroll box's content is as tall as the virtualizer's sizer says (what layout would give).
Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return isList(this) ? Math.max(LIST_VIEWPORT.height, parseFloat(this.querySelector<HTMLElement>('.sizer')?.style.height ?? '0')) : 0;
  },
});
if (!Element.prototype.scrollTo) {
  Element.prototype.scrollTo = function scrollTo(this: Element, opts?: ScrollToOptions | number) {
    if (typeof opts === 'object' && opts.top !== undefined) this.scrollTop = opts.top;
    this.dispatchEvent(new Event('scroll'));
  };
}

export function setup(ui: ReactElement, fake: FakeApi = createFakeApi()) {
  installFakeApi(fake);
  const user = userEvent.setup();
  return { fake, user, ...render(ui) };
}

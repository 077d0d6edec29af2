// The left navigation: one button per section; Tab reaches the current one, the arrow keys (and
// Home/End) move between them, Enter or Space opens one.
import { useRef, type KeyboardEvent } from 'react';

export function Nav<V extends string>({ items, current, onChange }: { items: Array<[V, string]>; current: V; onChange: (v: V) => void }) {
  const list = useRef<HTMLUListElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
    if (next === undefined || i < 0) return;
    e.preventDefault();
    buttons[(next + buttons.length) % buttons.length]?.focus();
  };
  return (
    <nav className="sidebar" aria-label="Sections">
      <h1 className="brand">mailbox2ics</h1>
      <ul ref={list} onKeyDown={onKeyDown}>
        {items.map(([v, label]) => (
          <li key={v}>
            <button type="button" className={v === current ? 'nav current' : 'nav'} aria-current={v === current ? 'page' : undefined} tabIndex={v === current ? 0 : -1} onClick={() => onChange(v)}>
              {label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

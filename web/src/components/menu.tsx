import { type ReactNode, useId, useRef } from 'react';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
}

/**
 * A small actions menu on the Popover API: it renders in the top layer (never clipped by a
 * scrolling column), closes on Escape and on a click elsewhere, and sits under its button at the
 * inline end in both writing directions.
 */
export function Menu({ label, items, trigger }: { label: string; items: MenuItem[]; trigger: ReactNode }) {
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);

  const place = () => {
    const button = buttonRef.current;
    const popover = popoverRef.current;
    if (!button || !popover) return;
    const rect = button.getBoundingClientRect();
    const rtl = getComputedStyle(button).direction === 'rtl';
    popover.style.top = `${rect.bottom + 4}px`;
    if (rtl) {
      popover.style.left = `${rect.left}px`;
      popover.style.right = 'auto';
    } else {
      popover.style.right = `${document.documentElement.clientWidth - rect.right}px`;
      popover.style.left = 'auto';
    }
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="icon-button menu__trigger"
        aria-label={label}
        aria-haspopup="menu"
        popoverTarget={id}
        onClick={(event) => {
          event.stopPropagation();
          place();
        }}
      >
        {trigger}
      </button>
      <div
        ref={popoverRef}
        id={id}
        popover="auto"
        role="menu"
        className="menu"
        onKeyDown={(event) => {
          // Arrow keys move between the items, as in any menu.
          const buttons = [...(popoverRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
          const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
          if (event.key === 'ArrowDown') buttons[(at + 1) % buttons.length]?.focus();
          if (event.key === 'ArrowUp') buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
        }}
      >
        {items.map((item) => (
          <button
            key={item.label}
            type="button"
            role="menuitem"
            className={`menu__item ${item.danger ? 'menu__item--danger' : ''}`}
            onClick={() => {
              popoverRef.current?.hidePopover();
              item.onSelect();
            }}
          >
            {item.label}
          </button>
        ))}
      </div>
    </>
  );
}

import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
}

/**
 * A small actions menu on the Popover API: it renders in the top layer (never clipped by a
 * scrolling column), closes on Escape and on a click elsewhere, and sits under its button at the
 * inline end in both writing directions. The list is only rendered while open, so a board of
 * hundreds of cards carries one button per card and nothing more.
 */
export function Menu({ label, items, trigger, tabIndex }: { label: string; items: MenuItem[]; trigger: ReactNode; tabIndex?: number }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const button = buttonRef.current;
    const popover = popoverRef.current;
    if (!open || !button || !popover) return;
    const rect = button.getBoundingClientRect();
    const rtl = getComputedStyle(button).direction === 'rtl';
    popover.style.top = `${rect.bottom + 4}px`;
    popover.style.left = rtl ? `${rect.left}px` : 'auto';
    popover.style.right = rtl ? 'auto' : `${document.documentElement.clientWidth - rect.right}px`;
    const onToggle = (event: Event) => {
      if ((event as ToggleEvent).newState === 'closed') {
        setOpen(false);
        button.focus();
      }
    };
    popover.addEventListener('toggle', onToggle);
    popover.showPopover();
    popover.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    return () => popover.removeEventListener('toggle', onToggle);
  }, [open]);

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="icon-button menu__trigger"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        tabIndex={tabIndex}
        onClick={(event) => {
          event.stopPropagation();
          setOpen((current) => !current);
        }}
      >
        {trigger}
      </button>
      {open && (
        <div
          ref={popoverRef}
          popover="auto"
          role="menu"
          aria-label={label}
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
      )}
    </>
  );
}

import { format as formatGregorian, isSameDay } from 'date-fns';
import { type KeyboardEvent, type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { addDaysTo, dateText, datePlaceholder, monthGrid, parseDateText, shiftMonth } from '../lib/format/calendar';
import { useI18n } from '../lib/i18n/use-i18n';
import { useDateEntry } from '../lib/session/use-date-entry';
import { FieldFrame, type TextFieldProps } from './field';
import './date-field.css';

export interface DateFieldProps extends Omit<TextFieldProps, 'value' | 'onChange' | 'type' | 'inputMode' | 'dir' | 'placeholder' | 'ref'> {
  /** The date as the field shows it (see `useDateEntry`): `2027-01-10`, or Jalali `1405/10/20`, in the language's digits. */
  value: string;
  onChange: (text: string) => void;
}

const isoOf = (date: Date) => formatGregorian(date, 'yyyy-MM-dd');

/**
 * A date typed as text (in either digit set) or picked from a calendar: the workspace's calendar
 * (Gregorian or Jalali), in the language's words and digits. The calendar opens from the button
 * beside the input; arrow keys move by day and week (following the reading direction), Page Up
 * and Page Down by month, Escape closes.
 */
export function DateField({ value, onChange, label, hint, error, className, ...input }: DateFieldProps) {
  const { t } = useI18n();
  const entry = useDateEntry();
  // Year first, as on Jalali forms, which a reader used to Gregorian dates may not expect.
  const jalaliHint = entry.calendar === 'jalali' ? t('datePicker.jalaliHint', { example: datePlaceholder(entry) }) : undefined;
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement | null>(null);
  const frame = useRef<HTMLDivElement | null>(null);

  // A click outside the field closes the calendar.
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (frame.current && !frame.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const finish = () => {
    setOpen(false);
    toggle.current?.focus();
  };

  return (
    <FieldFrame label={label} hint={hint ?? jalaliHint} error={error} className={className}>
      {({ inputId, describedBy, invalid }) => (
        <div className="date-field" ref={frame}>
          <input
            id={inputId}
            className="input date-field__input"
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            dir="ltr"
            inputMode="numeric"
            autoComplete="off"
            placeholder={datePlaceholder(entry)}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            {...input}
          />
          <button
            ref={toggle}
            type="button"
            className="date-field__toggle"
            aria-label={t('datePicker.open')}
            aria-haspopup="dialog"
            aria-expanded={open}
            onClick={() => setOpen((current) => !current)}
            disabled={input.disabled}
          >
            <span aria-hidden="true" className="date-field__icon" />
          </button>
          {open && (
            <CalendarPopover
              anchor={frame}
              selected={parseDateText(value)}
              onPick={(date) => {
                onChange(dateText(date, entry));
                finish();
              }}
              onClose={finish}
            />
          )}
        </div>
      )}
    </FieldFrame>
  );
}

interface CalendarPopoverProps {
  /** The field the calendar opens under. */
  anchor: RefObject<HTMLElement | null>;
  selected: Date | null;
  onPick: (date: Date) => void;
  onClose: () => void;
}

/** Room kept between the calendar and the window's edges. */
const edge = 8;

/**
 * The calendar is a popover, in the browser's top layer: a drawer or a dialog that scrolls or
 * clips its content cannot cut it off. It is placed under the field (above it when there is no
 * room below), starting at the field's inline start, and kept inside the window.
 */
function usePlacement(popover: RefObject<HTMLElement | null>, anchor: RefObject<HTMLElement | null>, dir: 'ltr' | 'rtl') {
  useLayoutEffect(() => {
    const element = popover.current;
    const field = anchor.current;
    if (!element || !field) return;
    if (!element.matches(':popover-open')) element.showPopover();
    const place = () => {
      const at = field.getBoundingClientRect();
      const { width, height } = element.getBoundingClientRect();
      const below = at.bottom + 4;
      const top = below + height <= window.innerHeight - edge ? below : Math.max(edge, at.top - 4 - height);
      const start = dir === 'rtl' ? at.right - width : at.left;
      const left = Math.min(Math.max(edge, start), window.innerWidth - width - edge);
      element.style.top = `${top}px`;
      element.style.left = `${left}px`;
    };
    place();
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, true);
    return () => {
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, true);
    };
  }, [popover, anchor, dir]);
}

function CalendarPopover({ anchor, selected, onPick, onClose }: CalendarPopoverProps) {
  const { t, dir } = useI18n();
  const entry = useDateEntry();
  const { calendar } = entry;
  const popover = useRef<HTMLDivElement | null>(null);
  usePlacement(popover, anchor, dir);
  const today = new Date();
  const [focused, setFocused] = useState<Date>(selected ?? new Date(today.getFullYear(), today.getMonth(), today.getDate()));
  const grid = useRef<HTMLTableElement | null>(null);
  const month = monthGrid(focused, entry);

  // The focused day holds the keyboard focus, also after the month changes under it.
  useEffect(() => {
    grid.current?.querySelector<HTMLButtonElement>(`button[data-date="${isoOf(focused)}"]`)?.focus();
  }, [focused]);

  const forward = dir === 'rtl' ? -1 : 1;
  const keyDown = (event: KeyboardEvent) => {
    const moves: Record<string, () => Date> = {
      ArrowRight: () => addDaysTo(focused, forward),
      ArrowLeft: () => addDaysTo(focused, -forward),
      ArrowDown: () => addDaysTo(focused, 7),
      ArrowUp: () => addDaysTo(focused, -7),
      PageDown: () => shiftMonth(focused, 1, calendar),
      PageUp: () => shiftMonth(focused, -1, calendar),
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setFocused(move());
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  };

  return (
    <div ref={popover} popover="manual" className="date-picker" role="dialog" aria-label={t('datePicker.label')} data-testid="date-picker" onKeyDown={keyDown}>
      <div className="date-picker__header">
        <button
          type="button"
          className="date-picker__step"
          aria-label={t('datePicker.previousMonth')}
          onClick={() => setFocused(shiftMonth(focused, -1, calendar))}
        >
          <span aria-hidden="true">{dir === 'rtl' ? '›' : '‹'}</span>
        </button>
        <span className="date-picker__title" aria-live="polite" data-testid="date-picker-title">
          {month.title}
        </span>
        <button type="button" className="date-picker__step" aria-label={t('datePicker.nextMonth')} onClick={() => setFocused(shiftMonth(focused, 1, calendar))}>
          <span aria-hidden="true">{dir === 'rtl' ? '‹' : '›'}</span>
        </button>
      </div>
      <table className="date-picker__grid" ref={grid} role="grid" aria-label={month.title}>
        <thead>
          <tr>
            {month.weekdays.map((weekday, index) => (
              <th key={index} scope="col" abbr={weekday}>
                {weekday}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {month.weeks.map((week) => (
            <tr key={isoOf(week[0]!.date)}>
              {week.map((day) => {
                const iso = isoOf(day.date);
                return (
                  <td key={iso}>
                    <button
                      type="button"
                      className={`date-picker__day${day.inMonth ? '' : ' date-picker__day--outside'}`}
                      data-date={iso}
                      tabIndex={isSameDay(day.date, focused) ? 0 : -1}
                      aria-pressed={selected ? isSameDay(day.date, selected) : false}
                      aria-current={isSameDay(day.date, today) ? 'date' : undefined}
                      onClick={() => onPick(day.date)}
                    >
                      {day.label}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

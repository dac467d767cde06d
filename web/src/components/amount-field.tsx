import { type ChangeEvent, useLayoutEffect, useRef } from 'react';
import { caretAfterFormatting, formatAmountText } from '../lib/format/amount-text';
import { useI18n } from '../lib/i18n/use-i18n';
import { TextField, type TextFieldProps } from './field';

export interface AmountFieldProps extends Omit<TextFieldProps, 'value' | 'onChange' | 'type' | 'inputMode' | 'dir'> {
  /** The amount as typed (any digits, grouped or not); shown grouped in the language's digits. */
  value: string;
  /** The text as shown (grouped, the language's digits), which `parseMoneyInput` reads. */
  onChange: (text: string) => void;
}

/**
 * An amount input that groups digits as they are typed and shows Persian digits in Persian
 * (Persian, Arabic and Latin digits are all accepted), keeping the caret after the digit it was
 * after when separators come and go.
 */
export function AmountField({ value, onChange, ...field }: AmountFieldProps) {
  const { locale } = useI18n();
  const input = useRef<HTMLInputElement | null>(null);
  const caret = useRef<number | null>(null);
  const shown = formatAmountText(value, locale);

  // After React writes the new text, put the caret back after its digit.
  useLayoutEffect(() => {
    if (caret.current === null || !input.current || document.activeElement !== input.current) return;
    input.current.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  });

  const change = (event: ChangeEvent<HTMLInputElement>) => {
    const typed = event.target.value;
    const formatted = formatAmountText(typed, locale);
    caret.current = caretAfterFormatting(typed, event.target.selectionStart ?? typed.length, formatted);
    onChange(formatted);
  };

  return <TextField {...field} ref={input} inputMode="decimal" dir="ltr" autoComplete="off" value={shown} onChange={change} />;
}

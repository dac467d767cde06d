import type { DocumentSettings, UpdateDocumentSettingsInput } from '../../../lib/api/types';
import { localizeDigits, toLatinDigits } from '../../../lib/format/digits';

/** The seller's details as the settings request names them (the response nests them in `seller`). */
export const sellerFields = ['legal_name', 'economic_code', 'national_id', 'registration_number', 'postal_code', 'address', 'phone', 'email'] as const;
export type SellerField = (typeof sellerFields)[number];

/** The document settings form as typed. */
export type SettingsValues = Record<SellerField, string> & {
  quote_prefix: string;
  invoice_prefix: string;
  yearly_reset: boolean;
  quote_validity_days: string;
  invoice_due_days: string;
  accept_wins_deal: boolean;
  rial_display: DocumentSettings['rial_display'];
  accent_colour: string;
  footer: string;
  terms: string;
};

export type SettingsFormError = 'days' | 'colour' | 'prefix';

export function settingsValuesOf(settings: DocumentSettings, locale: string): SettingsValues {
  const { seller } = settings;
  return {
    quote_prefix: settings.quote_prefix,
    invoice_prefix: settings.invoice_prefix,
    yearly_reset: settings.yearly_reset,
    quote_validity_days: localizeDigits(String(settings.quote_validity_days), locale),
    invoice_due_days: localizeDigits(String(settings.invoice_due_days), locale),
    accept_wins_deal: settings.accept_wins_deal,
    rial_display: settings.rial_display,
    legal_name: seller.name ?? '',
    economic_code: seller.economic_code ?? '',
    national_id: seller.national_id ?? '',
    registration_number: seller.registration_number ?? '',
    postal_code: seller.postal_code ?? '',
    address: seller.address ?? '',
    phone: seller.phone ?? '',
    email: seller.email ?? '',
    accent_colour: settings.accent_colour,
    footer: settings.footer ?? '',
    terms: settings.terms ?? '',
  };
}

/** A number of days as typed in either script, from 1 to ten years, or null. */
export function parseDays(text: string): number | null {
  const normalized = toLatinDigits(text.trim());
  if (!/^\d{1,4}$/.test(normalized)) return null;
  const days = Number(normalized);
  return days >= 1 && days <= 3650 ? days : null;
}

const colourPattern = /^#[0-9a-f]{6}$/i;
// Letters of any script, digits, `-`, `_` and `/`, as the server reads a prefix.
const prefixPattern = /^[\p{L}\p{N}_/-]{1,12}$/u;

export type ParsedSettings =
  { ok: true; changes: UpdateDocumentSettingsInput } | { ok: false; errors: Partial<Record<keyof SettingsValues, SettingsFormError>> };

/**
 * What the form changed, as the settings request: only the fields whose value differs from the
 * settings read (an emptied text as null), so that a save never re-sends someone else's change.
 */
export function settingsChanges(values: SettingsValues, settings: DocumentSettings, locale: string): ParsedSettings {
  const errors: Partial<Record<keyof SettingsValues, SettingsFormError>> = {};
  const validity = parseDays(values.quote_validity_days);
  const due = parseDays(values.invoice_due_days);
  if (validity === null) errors.quote_validity_days = 'days';
  if (due === null) errors.invoice_due_days = 'days';
  for (const field of ['quote_prefix', 'invoice_prefix'] as const) {
    if (!prefixPattern.test(values[field].trim())) errors[field] = 'prefix';
  }
  if (!colourPattern.test(values.accent_colour)) errors.accent_colour = 'colour';
  if (validity === null || due === null || Object.keys(errors).length > 0) return { ok: false, errors };

  const before = settingsValuesOf(settings, locale);
  const changes: UpdateDocumentSettingsInput = {};
  const text = (value: string) => value.trim() || null;
  if (values.quote_prefix.trim() !== before.quote_prefix) changes.quote_prefix = values.quote_prefix.trim();
  if (values.invoice_prefix.trim() !== before.invoice_prefix) changes.invoice_prefix = values.invoice_prefix.trim();
  if (values.yearly_reset !== before.yearly_reset) changes.yearly_reset = values.yearly_reset;
  if (validity !== settings.quote_validity_days) changes.quote_validity_days = validity;
  if (due !== settings.invoice_due_days) changes.invoice_due_days = due;
  if (values.accept_wins_deal !== before.accept_wins_deal) changes.accept_wins_deal = values.accept_wins_deal;
  if (values.rial_display !== before.rial_display) changes.rial_display = values.rial_display;
  for (const field of sellerFields) {
    if (values[field].trim() !== before[field]) changes[field] = text(values[field]);
  }
  if (values.accent_colour.toLowerCase() !== before.accent_colour.toLowerCase()) changes.accent_colour = values.accent_colour.toLowerCase();
  if (values.footer.trim() !== before.footer) changes.footer = text(values.footer);
  if (values.terms.trim() !== before.terms) changes.terms = text(values.terms);
  return { ok: true, changes };
}

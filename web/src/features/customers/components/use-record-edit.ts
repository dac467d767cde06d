import { type FormEvent, useState } from 'react';
import { isApiError } from '../../../lib/api/api-error';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type FormError, type Parsed, rebaseEdit } from '../utils/customer-form';
import { formErrors } from './form-errors';

export interface RecordEditOptions<R extends { version: number }, V extends object, C extends object> {
  /** The record being edited; a new one without it. */
  record: R | undefined;
  /** The form's values for the record (or a new one, with `initial` defaults). */
  valuesOf: (record: R | null) => V;
  /** What to send: the changes since `read` (every field of a new record), or the fields' errors. */
  parse: (read: V | null, values: V) => Parsed<C>;
  /** Creates the record, or updates it with `changes`. */
  save: (changes: C) => void;
  /** An edit that changed nothing: nothing is sent. */
  onUnchanged: () => void;
  /** The last attempt's error, and the fields the form shows (by the API's names). */
  error: unknown;
  shownFields: readonly string[];
  i18n: I18n;
}

/**
 * The state of a contact's or an organization's form: the values read and typed, the newer
 * version taken in under the user's edits (a stale save keeps them), the browser's and the
 * server's errors by field, and the submit that sends only what changed.
 */
export function useRecordEdit<R extends { version: number }, V extends object, C extends object>(options: RecordEditOptions<R, V, C>) {
  const { record, valuesOf, parse, error, shownFields, i18n } = options;
  const [edit, setEdit] = useState(() => {
    const read = valuesOf(record ?? null);
    return { read, values: read };
  });
  const [version, setVersion] = useState(record?.version);
  if (record && record.version !== version) {
    setVersion(record.version);
    setEdit(rebaseEdit(edit, valuesOf(record)));
  }
  const [local, setLocal] = useState<Record<string, FormError>>({});
  const { values } = edit;
  const set = (patch: Partial<V>) => setEdit((current) => ({ ...current, values: { ...current.values, ...patch } }));
  const errors = formErrors(local, error, i18n);
  const stale = isApiError(error) && error.isStale;
  const unmatched =
    Boolean(error) &&
    !stale &&
    !Object.keys(errors).some((field) => shownFields.includes(field) || field.startsWith('custom_fields.') || field.startsWith('important_dates'));
  const bind = (field: keyof V & string, name: string) => ({
    name,
    value: values[field] as string,
    error: errors[name],
    onChange: (event: { target: { value: string } }) => set({ [field]: event.target.value } as Partial<V>),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parse(record ? edit.read : null, values);
    if (!parsed.ok) {
      setLocal(parsed.errors);
      return;
    }
    setLocal({});
    if (record && Object.keys(parsed.value).length === 0) options.onUnchanged();
    else options.save(parsed.value);
  };
  return { values, set, bind, errors, stale, unmatched, submit };
}

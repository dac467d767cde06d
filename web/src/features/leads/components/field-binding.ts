import type { ChangeEvent } from 'react';

/**
 * Ties text fields to a form's string values: `bind('jobTitle', 'job_title')` gives a field its
 * name (the API's), value, change handler and the error the server (or the form) reported for it.
 */
export function fieldBinder<V extends object>(values: V, set: (patch: Partial<V>) => void, errors: Record<string, string | undefined>) {
  return (key: { [K in keyof V]: V[K] extends string ? K : never }[keyof V], field: string) => ({
    name: field,
    value: values[key] as string,
    onChange: (event: ChangeEvent<HTMLInputElement>) => set({ [key]: event.target.value } as Partial<V>),
    error: errors[field],
  });
}

import { describe, expect, it } from 'vitest';
import { en } from '../../locales/en';
import { fa } from '../../locales/fa';
import { translate } from '../i18n/translate';
import type { Translate } from '../i18n/use-i18n';
import { ApiError } from './api-error';
import { fieldErrorMessage, localizedFieldErrors } from './field-errors';

const tEn: Translate = (key, params) => translate(en, 'en', key, params);
const tFa: Translate = (key, params) => translate(fa, 'fa', key, params);

function validation(errors: { field: string; code: string; message: string }[]): ApiError {
  return new ApiError(422, {
    type: 'urn:kariz:problem:validation-failed',
    code: 'validation_failed',
    title: 'Validation failed',
    status: 422,
    detail: 'x',
    request_id: 'r1',
    errors,
  });
}

describe('field errors', () => {
  it('says each field’s problem in the user’s language, by field and code', () => {
    const error = validation([
      { field: 'phone', code: 'invalid', message: 'not a phone number' },
      { field: 'name', code: 'required', message: 'missing field `name`' },
      { field: 'custom_fields.size', code: 'invalid', message: 'must be a number' },
      { field: 'phone', code: 'length', message: 'a second problem of the same field' },
    ]);
    expect(localizedFieldErrors(error, tEn)).toEqual({
      phone: en.errors.fields.phone,
      name: en.errors.fieldCodes.required,
      'custom_fields.size': en.errors.fieldCodes.invalid,
    });
    expect(localizedFieldErrors(error, tFa)).toEqual({
      phone: fa.errors.fields.phone,
      name: fa.errors.fieldCodes.required,
      'custom_fields.size': fa.errors.fieldCodes.invalid,
    });
  });

  it('keeps the server’s words for a code it does not know, and answers nothing for other failures', () => {
    expect(fieldErrorMessage({ field: 'url', code: 'private_address', message: 'resolves to a private address' }, tFa)).toBe('resolves to a private address');
    expect(localizedFieldErrors(new Error('x'), tEn)).toEqual({});
    expect(localizedFieldErrors(new ApiError(409, null), tEn)).toEqual({});
  });
});

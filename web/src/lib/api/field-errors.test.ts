import { describe, expect, it } from 'vitest';
import { en } from '../../locales/en';
import { fa } from '../../locales/fa';
import { translate } from '../i18n/translate';
import type { Translate } from '../i18n/use-i18n';
import { ApiError } from './api-error';
import { fieldErrorText } from './field-error-messages';
import { fieldErrorMessage, localizedFieldErrors } from './field-errors';
import type { FieldCode } from './types';
import { fieldCodes } from './vocabularies';

const tEn: Translate = (key, params) => translate(en, 'en', key, params);
const tFa: Translate = (key, params) => translate(fa, 'fa', key, params);

function validation(errors: { field: string; code: FieldCode; message: string }[]): ApiError {
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

  it('words every code the server can send in both languages, Persian without English words', () => {
    // `fieldCodes` is generated from the OpenAPI document, whose FieldCode is the server's enum.
    for (const code of fieldCodes) {
      const [english, persian] = [fieldErrorMessage({ field: 'x', code }, tEn), fieldErrorMessage({ field: 'x', code }, tFa)];
      expect(english, code).not.toContain('errors.');
      expect(persian, code).not.toContain('errors.');
      expect(persian, code).not.toBe(english);
      // Only an example value (Asia/Tehran) may be in Latin letters.
      expect(persian.replace('Asia/Tehran', ''), code).not.toMatch(/[A-Za-z]/);
    }
  });

  it('says a code it does not know generically, never in the server’s English, and answers nothing for other failures', () => {
    const unknown = { field: 'url', code: 'private_address' as FieldCode, message: 'resolves to a private address' };
    expect(fieldErrorMessage(unknown, tFa)).toBe(fa.errors.fieldCodes.invalid);
    expect(fieldErrorText(unknown, 'fa')).toBe(fa.errors.fieldCodes.invalid);
    expect(fieldErrorText({ field: 'rules.0.condition', code: 'condition', message: 'a condition’s value must not be blank' }, 'fa')).toBe(
      fa.errors.fieldCodes.condition,
    );
    expect(fieldErrorText(unknown, 'en')).toBe('resolves to a private address');
    expect(localizedFieldErrors(new Error('x'), tEn)).toEqual({});
    expect(localizedFieldErrors(new ApiError(409, null), tEn)).toEqual({});
  });
});

import type { PaymentMethod } from '../../../lib/api/types';
import type { Translate } from '../../../lib/i18n/use-i18n';

/** The label of a payment method; `other` is `otherMethod` in the locale files (see en.ts). */
export function paymentMethodLabel(method: PaymentMethod, t: Translate): string {
  return method === 'other' ? t('documents.payment.methods.otherMethod') : t(`documents.payment.methods.${method}`);
}

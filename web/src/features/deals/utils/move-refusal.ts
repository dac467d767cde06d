import { errorCode } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Translate } from '../../../lib/i18n/use-i18n';

/**
 * The message for a refused move, chosen by the problem's code; every one says that the card
 * went back. A cause without a move-specific message is described as anywhere else.
 */
export function moveRefusalMessage(error: unknown, title: string, t: Translate): string {
  switch (errorCode(error)) {
    case 'version_mismatch':
    case 'version_required':
      return t('board.move.stale', { title });
    case 'deal_closed':
      return t('board.move.closed', { title });
    case 'neighbours_moved':
      return t('board.move.neighboursMoved', { title });
    case 'stage_in_other_pipeline':
      return t('board.move.otherPipeline', { title });
    case 'not_found':
      return t('board.move.notFound', { title });
    default:
      return t('board.move.failed', { title, reason: describeError(error, t) });
  }
}

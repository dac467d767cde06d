import { errorCode } from '../../../lib/api/api-error';
import { maxUploadBytes } from '../api/customer-page';

/**
 * Why a file was not kept, when it is one of the reasons an upload has of its own: larger than
 * the server takes (checked here first, so that 25 MB are not sent for nothing, and again by the
 * server's `payload_too_large`), or no room left in the workspace (`storage_quota_exceeded`).
 * Anything else is described like every other failed call.
 */
export type UploadRefusal = 'tooLarge' | 'quota' | null;

export function refusalBeforeUpload(file: { size: number }): UploadRefusal {
  if (file.size > maxUploadBytes) return 'tooLarge';
  return null;
}

export function refusalOf(error: unknown): UploadRefusal {
  switch (errorCode(error)) {
    case 'payload_too_large':
      return 'tooLarge';
    case 'storage_quota_exceeded':
      return 'quota';
    default:
      return null;
  }
}

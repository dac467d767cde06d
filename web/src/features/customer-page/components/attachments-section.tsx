import { type DragEvent, useId, useRef, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormAlert } from '../../../components/field';
import { ErrorState, Skeleton, Spinner } from '../../../components/states';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { type Attachment, type AttachmentLink, downloadAttachment, useAttachments, useDeleteAttachment, useUploadAttachment } from '../api/customer-page';
import { fileSize } from '../utils/timeline';
import './customer-page.css';
import { refusalBeforeUpload, refusalOf } from '../utils/upload-error';

/**
 * The files kept with a customer, a deal or a lead: upload (pick or drop, at most 25 MB each),
 * download and delete. The app places it on the customer page and in the deal and lead drawers.
 */
export function AttachmentsSection({ link }: { link: AttachmentLink }) {
  const i18n = useI18n();
  const { t } = i18n;
  const files = useAttachments(link);
  const upload = useUploadAttachment(link);
  const remove = useDeleteAttachment(link);
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const [dragging, setDragging] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Attachment | null>(null);
  const [uploadingName, setUploadingName] = useState<string | null>(null);

  const send = async (list: FileList | File[]) => {
    setProblem(null);
    for (const file of Array.from(list)) {
      if (refusalBeforeUpload(file) === 'tooLarge') {
        setProblem(t('customerPage.files.tooLarge', { name: file.name }));
        continue;
      }
      setUploadingName(file.name);
      try {
        await upload.mutateAsync(file);
        toast.success(t('customerPage.files.uploaded', { name: file.name }));
      } catch (error) {
        const refusal = refusalOf(error);
        setProblem(
          refusal === 'tooLarge'
            ? t('customerPage.files.tooLarge', { name: file.name })
            : refusal === 'quota'
              ? t('customerPage.files.quota', { name: file.name })
              : t('customerPage.files.uploadFailed', { name: file.name, reason: describeError(error, t) }),
        );
      }
    }
    setUploadingName(null);
    if (input.current) input.current.value = '';
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length > 0) void send(event.dataTransfer.files);
  };

  return (
    <section className="attachments" aria-labelledby={`${hintId}-title`} data-testid="attachments">
      <h3 id={`${hintId}-title`} className="subsection-title">
        {t('customerPage.files.title')}
      </h3>
      <div
        className={`dropzone ${dragging ? 'dropzone--active' : ''}`}
        data-testid="dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <input
          ref={input}
          id={`${hintId}-input`}
          className="visually-hidden"
          type="file"
          multiple
          aria-describedby={hintId}
          onChange={(event) => event.target.files && void send(event.target.files)}
          data-testid="file-input"
        />
        <label htmlFor={`${hintId}-input`} className="button button--secondary button--sm">
          {t('customerPage.files.choose')}
        </label>
        <span id={hintId} className="muted dropzone__hint">
          {t('customerPage.files.hint', { size: 25 })}
        </span>
        {uploadingName && (
          <span className="dropzone__progress">
            <Spinner label={t('customerPage.files.uploading', { name: uploadingName })} />
            <span aria-hidden="true">{t('customerPage.files.uploading', { name: uploadingName })}</span>
          </span>
        )}
      </div>
      {problem && <FormAlert>{problem}</FormAlert>}
      {files.isPending && <Skeleton className="skeleton--line" />}
      {files.isError && <ErrorState title={t('customerPage.files.loadFailed')} error={files.error} onRetry={() => void files.refetch()} />}
      {files.data && files.data.data.length === 0 && <p className="muted">{t('customerPage.files.empty')}</p>}
      {files.data && files.data.data.length > 0 && (
        <ul className="file-list" data-testid="file-list">
          {files.data.data.map((file) => (
            <FileRow key={file.id} file={file} i18n={i18n} onDelete={() => setDeleting(file)} />
          ))}
        </ul>
      )}
      {deleting && (
        <Dialog title={t('customerPage.files.deleteTitle', { name: deleting.file_name })} onClose={() => setDeleting(null)}>
          <p>{t('customerPage.files.deleteBody')}</p>
          {remove.error && <FormAlert>{describeError(remove.error, t)}</FormAlert>}
          <div className="form__actions">
            <Button onClick={() => setDeleting(null)}>{t('common.cancel')}</Button>
            <Button
              variant="danger"
              busy={remove.isPending}
              onClick={() =>
                remove.mutate(deleting, {
                  onSuccess: (file) => {
                    toast.success(t('customerPage.files.deleted', { name: file.file_name }));
                    setDeleting(null);
                  },
                })
              }
            >
              {t('common.delete')}
            </Button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function FileRow({ file, i18n, onDelete }: { file: Attachment; i18n: I18n; onDelete: () => void }) {
  const { t } = i18n;
  const [downloading, setDownloading] = useState(false);
  const size = fileSize(file.size_bytes);
  const download = async () => {
    setDownloading(true);
    try {
      await downloadAttachment(file);
    } catch (error) {
      toast.error(t('customerPage.files.downloadFailed', { name: file.file_name, reason: describeError(error, t) }));
    } finally {
      setDownloading(false);
    }
  };
  return (
    <li className="file-row" data-testid="file-row">
      <span className="file-row__icon" aria-hidden="true">
        ▤
      </span>
      <button type="button" className="link-button file-row__name" dir="auto" onClick={() => void download()} aria-busy={downloading || undefined}>
        {file.file_name}
      </button>
      <span className="muted file-row__meta">
        {t(`customerPage.files.size.${size.unit}`, { count: size.value })}
        {t('customerPage.separator')}
        {i18n.shortDate(file.created_at)}
      </span>
      <Button size="sm" variant="ghost" onClick={onDelete} aria-label={t('customerPage.files.delete', { name: file.file_name })}>
        {t('common.delete')}
      </Button>
    </li>
  );
}

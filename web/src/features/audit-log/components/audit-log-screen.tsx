import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { RefusedPage } from '../../../components/refused-page';
import { DataTable } from '../../../components/data-table';
import { SelectField, TextField } from '../../../components/field';
import { EmptyState, ErrorState, Skeleton } from '../../../components/states';
import { errorCode } from '../../../lib/api/api-error';
import { isOneOf } from '../../../lib/api/vocabularies';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import { paths } from '../../../lib/paths';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useUrlParams } from '../../../lib/use-url-params';
import { type AuditEntry, type AuditFilter, useAuditLog } from '../api/audit-log';
import { auditEntityTypes, auditVerbs, changeRows, startOfDay } from '../utils/audit-format';
import './audit-log.css';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const filterNames = ['actor', 'entity', 'record', 'from', 'to'] as const;

/** Who changed what, when, from what to what (admins), narrowed by the filters in the URL. */
export function AuditLogScreen() {
  const i18n = useI18n();
  const { t } = i18n;
  const [params, setParams] = useUrlParams();
  const value = (name: (typeof filterNames)[number]) => params.get(name) ?? '';
  const filter: AuditFilter = {
    ...(value('actor') ? { actor_user_id: value('actor') } : {}),
    ...(value('entity') ? { entity_type: value('entity') } : {}),
    ...(uuid.test(value('record')) ? { entity_id: value('record') } : {}),
    ...(startOfDay(value('from')) ? { since: startOfDay(value('from')) } : {}),
    ...(startOfDay(value('to'), 1) ? { until: startOfDay(value('to'), 1) } : {}),
  };
  const log = useAuditLog(filter);
  const entries = log.data?.pages.flatMap((page) => page.data) ?? [];
  useDocumentTitle(t('auditLog.title'));
  const set = (name: (typeof filterNames)[number], next: string) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next) updated.set(name, next);
        else updated.delete(name);
        return updated;
      },
      { replace: true },
    );

  if (log.isError && errorCode(log.error) === 'forbidden') {
    return <RefusedPage title={t('auditLog.title')} reason={t('auditLog.forbidden')} />;
  }

  return (
    <main className="page audit-log" id="main" data-testid="audit-log-screen">
      <h1 className="page__title">{t('auditLog.title')}</h1>
      <p className="page__intro">{t('auditLog.intro')}</p>
      <Filters value={value} set={set} clear={() => setParams(() => new URLSearchParams(), { replace: true })} />
      {log.isPending && <Skeleton className="skeleton--block" />}
      {log.isError && <ErrorState title={t('auditLog.loadFailed')} error={log.error} onRetry={() => void log.refetch()} />}
      {log.isSuccess && entries.length === 0 && <EmptyState title={t('auditLog.empty')} />}
      {entries.length > 0 && (
        <DataTable label={t('auditLog.title')} testId="audit-table">
          <thead>
            <tr>
              <th scope="col">{t('auditLog.when')}</th>
              <th scope="col">{t('auditLog.who')}</th>
              <th scope="col">{t('auditLog.what')}</th>
              <th scope="col">{t('auditLog.record')}</th>
              <th scope="col">{t('auditLog.changes')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <EntryRow key={entry.id} entry={entry} i18n={i18n} />
            ))}
          </tbody>
        </DataTable>
      )}
      {log.hasNextPage && (
        <Button className="audit-log__more" busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {t('auditLog.older')}
        </Button>
      )}
    </main>
  );
}

function Filters({
  value,
  set,
  clear,
}: {
  value: (name: (typeof filterNames)[number]) => string;
  set: (name: (typeof filterNames)[number], next: string) => void;
  clear: () => void;
}) {
  const { t } = useI18n();
  const { members } = useMembers();
  const [record, setRecord] = useState(value('record'));
  const recordInvalid = record !== '' && !uuid.test(record.trim());
  return (
    <form
      className="form audit-log__filters"
      role="search"
      aria-label={t('auditLog.filters')}
      onSubmit={(event) => event.preventDefault()}
      data-testid="audit-filters"
    >
      <div className="form__row">
        <SelectField label={t('auditLog.actor')} value={value('actor')} onChange={(event) => set('actor', event.target.value)}>
          <option value="">{t('auditLog.anyone')}</option>
          {members.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('auditLog.entityType')} value={value('entity')} onChange={(event) => set('entity', event.target.value)}>
          <option value="">{t('auditLog.anyEntity')}</option>
          {auditEntityTypes.map((type) => (
            <option key={type} value={type}>
              {t(`auditLog.entities.${type}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('auditLog.recordId')}
          dir="ltr"
          value={record}
          placeholder="0190…"
          error={recordInvalid ? t('auditLog.recordIdInvalid') : undefined}
          onChange={(event) => {
            setRecord(event.target.value);
            const trimmed = event.target.value.trim();
            if (trimmed === '' || uuid.test(trimmed)) set('record', trimmed);
          }}
        />
      </div>
      <div className="form__row">
        <TextField
          label={t('auditLog.from')}
          type="date"
          value={value('from')}
          max={value('to') || undefined}
          onChange={(event) => set('from', event.target.value)}
        />
        <TextField
          label={t('auditLog.to')}
          type="date"
          value={value('to')}
          min={value('from') || undefined}
          onChange={(event) => set('to', event.target.value)}
        />
      </div>
      <div className="form__actions form__actions--start">
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            setRecord('');
            clear();
          }}
        >
          {t('auditLog.clear')}
        </Button>
      </div>
    </form>
  );
}

/** "Deal · updated", in the reader's words where the screen has them. */
function actionLabel(entry: AuditEntry, t: I18n['t']): string {
  const verb = entry.action.slice(entry.action.indexOf('.') + 1);
  const entity = isOneOf(auditEntityTypes, entry.entity_type) ? t(`auditLog.entities.${entry.entity_type}`) : entry.entity_type;
  const done = isOneOf(auditVerbs, verb) ? t(`auditLog.verbs.${verb}`) : verb.replaceAll('_', ' ');
  return t('auditLog.action', { entity, verb: done });
}

function recordLink(entry: AuditEntry): string | null {
  if (!entry.entity_id) return null;
  if (entry.entity_type === 'lead') return paths.lead(entry.entity_id);
  if (entry.entity_type === 'contact') return paths.contact(entry.entity_id);
  if (entry.entity_type === 'organization') return paths.organization(entry.entity_id);
  return null;
}

function EntryRow({ entry, i18n }: { entry: AuditEntry; i18n: I18n }) {
  const { t } = i18n;
  const { byId } = useMembers();
  const actor = entry.actor_user_id ? (byId.get(entry.actor_user_id)?.name ?? t('auditLog.formerMember')) : t('auditLog.commandLine');
  const link = recordLink(entry);
  // Ids are UUIDv7, whose first digits are a time shared by neighbours: the random end tells records apart.
  const id = entry.entity_id ? <code dir="ltr">…{entry.entity_id.slice(-12)}</code> : t('auditLog.manyRecords');
  return (
    <tr data-testid="audit-row" data-action={entry.action} data-entity-id={entry.entity_id ?? ''}>
      <td className="audit-log__when">{i18n.dateTime(entry.occurred_at)}</td>
      <td>
        {actor}
        {entry.actor_api_key_id && <span className="muted">{t('auditLog.withApiKey')}</span>}
      </td>
      <td>{actionLabel(entry, t)}</td>
      <td title={entry.entity_id ?? undefined}>{link ? <Link to={link}>{id}</Link> : id}</td>
      <td>
        <Changes changes={entry.changes} t={t} />
      </td>
    </tr>
  );
}

function Changes({ changes, t }: { changes: unknown; t: I18n['t'] }): ReactNode {
  const read = changeRows(changes);
  if (read.rows.length === 0) return <span className="muted">—</span>;
  if (read.kind === 'diff') {
    return (
      <ul className="audit-log__changes">
        {read.rows.map((row) => (
          <li key={row.field}>
            <code>{row.field}</code> <bdi className="audit-log__before">{row.before}</bdi> <span aria-label={t('auditLog.becomes')}>→</span>{' '}
            <bdi>{row.after}</bdi>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <details className="audit-log__snapshot">
      <summary>{t('auditLog.fields', { count: read.rows.length })}</summary>
      <ul className="audit-log__changes">
        {read.rows.map((row) => (
          <li key={row.field}>
            <code>{row.field}</code> <bdi>{row.value}</bdi>
          </li>
        ))}
      </ul>
    </details>
  );
}

import { Button } from '../../../components/button';
import { DataTable } from '../../../components/data-table';
import { toast } from '../../../components/toast';
import { describeError } from '../../../lib/api/describe-error';
import { type I18n, useI18n } from '../../../lib/i18n/use-i18n';
import { type ApiKey, useRevokeApiKey } from '../api/api-keys';
import { keyState } from '../utils/key-state';

/** API keys with their scopes, dates and state, each revocable until revoked. */
export function KeyTable({ keys, label }: { keys: ApiKey[]; label: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <DataTable label={label} testId="api-key-table">
      <thead>
        <tr>
          <th scope="col">{t('apiKeys.name')}</th>
          <th scope="col">{t('apiKeys.scopes')}</th>
          <th scope="col">{t('apiKeys.created')}</th>
          <th scope="col">{t('apiKeys.lastUsed')}</th>
          <th scope="col">{t('apiKeys.expires')}</th>
          <th scope="col">{t('apiKeys.status')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('apiKeys.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <KeyRow key={key.id} apiKey={key} i18n={i18n} />
        ))}
      </tbody>
    </DataTable>
  );
}

function KeyRow({ apiKey, i18n }: { apiKey: ApiKey; i18n: I18n }) {
  const { t } = i18n;
  const revoke = useRevokeApiKey();
  const state = keyState(apiKey);
  return (
    <tr data-testid="api-key-row" data-prefix={apiKey.prefix} data-state={state}>
      <td>
        <strong>{apiKey.name}</strong>
        <code className="muted" dir="ltr">
          {apiKey.prefix}…
        </code>
      </td>
      <td>{apiKey.scopes.map((scope) => t(`apiKeys.scope.${scope}`)).join(t('common.listSeparator'))}</td>
      <td className="data-table__nowrap">{i18n.date(apiKey.created_at)}</td>
      <td className="data-table__nowrap">{apiKey.last_used_at ? i18n.dateTime(apiKey.last_used_at) : t('apiKeys.never')}</td>
      <td className="data-table__nowrap">{apiKey.expires_at ? i18n.date(apiKey.expires_at) : t('apiKeys.noExpiry')}</td>
      <td>
        <span className={`badge${state === 'active' ? ' badge--won' : ''}`}>{t(`apiKeys.state.${state}`)}</span>
      </td>
      <td>
        {state !== 'revoked' && (
          <Button
            size="sm"
            variant="danger"
            busy={revoke.isPending}
            aria-label={t('apiKeys.revokeNamed', { name: apiKey.name })}
            onClick={() =>
              revoke.mutate(apiKey, {
                onSuccess: () => toast.success(t('apiKeys.revoked', { name: apiKey.name })),
                onError: (error) => toast.error(describeError(error, t)),
              })
            }
          >
            {t('apiKeys.revoke')}
          </Button>
        )}
      </td>
    </tr>
  );
}

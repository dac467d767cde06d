import type { I18n } from '../../../lib/i18n/use-i18n';
import { type CustomerEntity, type CustomerFilters, type CustomerSort, customerSorts, defaultCustomerFilters, isFiltered } from '../utils/list-filters';
import { DebouncedText } from './debounced-text';
import { OrganizationOptions, OwnerOptions } from './pickers';

interface CustomerFiltersBarProps {
  entity: CustomerEntity;
  filters: CustomerFilters;
  setFilters: (patch: Partial<CustomerFilters>, options?: { replace?: boolean }) => void;
  i18n: I18n;
}

/** A list's search, filters and sort; each change goes into the URL. */
export function CustomerFiltersBar({ entity, filters, setFilters, i18n }: CustomerFiltersBarProps) {
  const { t } = i18n;
  const group = entity === 'contact' ? 'contacts' : 'organizations';
  const text = (name: 'city' | 'country' | 'tag' | 'industry') => (
    <DebouncedText
      name={name}
      type="text"
      value={filters[name]}
      label={t(`customers.filters.${name}`)}
      placeholder={t(`customers.filters.${name}`)}
      onCommit={(value) => setFilters({ [name]: value }, { replace: true })}
    />
  );

  return (
    <div className="filters customers-filters" role="search" aria-label={t(`customers.${group}.filtersLabel`)}>
      <DebouncedText
        name="q"
        value={filters.q}
        label={t(`customers.${group}.search`)}
        placeholder={t(`customers.${group}.searchPlaceholder`)}
        onCommit={(q) => setFilters({ q }, { replace: true })}
      />
      <label>
        <span className="visually-hidden">{t('customers.filters.owner')}</span>
        <select className="input input--compact" name="owner_id" value={filters.owner_id} onChange={(event) => setFilters({ owner_id: event.target.value })}>
          <OwnerOptions first={<option value="">{t('customers.filters.anyOwner')}</option>} />
        </select>
      </label>
      {entity === 'contact' && (
        <label>
          <span className="visually-hidden">{t('customers.filters.organization')}</span>
          <select
            className="input input--compact customers-filters__organization"
            name="organization_id"
            value={filters.organization_id}
            onChange={(event) => setFilters({ organization_id: event.target.value })}
          >
            <OrganizationOptions selected={filters.organization_id} first={<option value="">{t('customers.filters.anyOrganization')}</option>} />
          </select>
        </label>
      )}
      {entity === 'organization' && text('industry')}
      {text('city')}
      {text('country')}
      {text('tag')}
      {entity === 'contact' && (
        <fieldset className="customers-filters__age">
          <legend className="visually-hidden">{t('customers.filters.age')}</legend>
          <DebouncedText
            name="age_min"
            type="text"
            inputMode="numeric"
            value={filters.age_min}
            label={t('customers.filters.ageMin')}
            placeholder={t('customers.filters.ageMin')}
            onCommit={(age_min) => setFilters({ age_min }, { replace: true })}
          />
          <span aria-hidden="true">–</span>
          <DebouncedText
            name="age_max"
            type="text"
            inputMode="numeric"
            value={filters.age_max}
            label={t('customers.filters.ageMax')}
            placeholder={t('customers.filters.ageMax')}
            onCommit={(age_max) => setFilters({ age_max }, { replace: true })}
          />
        </fieldset>
      )}
      <label>
        <span className="visually-hidden">{t('customers.sort.label')}</span>
        <select
          className="input input--compact"
          name="sort"
          value={filters.sort}
          onChange={(event) => setFilters({ sort: event.target.value as CustomerSort })}
        >
          {customerSorts.map((sort) => (
            <option key={sort} value={sort}>
              {t(`customers.sort.${sort === '-created_at' ? 'newest' : sort === 'created_at' ? 'oldest' : 'name'}`)}
            </option>
          ))}
        </select>
      </label>
      {isFiltered(entity, filters) && (
        <button type="button" className="link-button" onClick={() => setFilters({ ...defaultCustomerFilters, sort: filters.sort })}>
          {t('customers.filters.clear')}
        </button>
      )}
    </div>
  );
}

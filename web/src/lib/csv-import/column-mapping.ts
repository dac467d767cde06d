/** A field an import column can fill: a built-in one (labelled from the locale files) or a custom one. */
export type ImportField = { value: string; builtIn: true } | { value: string; builtIn: false; label: string };

/** The workspace's custom fields as import targets (`cf.<key>`), after an import's built-in fields. */
export function customImportFields(definitions: readonly { key: string; label: string }[]): ImportField[] {
  return definitions.map((definition): ImportField => ({ value: `cf.${definition.key}`, builtIn: false, label: definition.label }));
}

/** A header or field name as compared: lower-case letters and digits only (`E-mail` → `email`), like the server. */
export function foldHeader(text: string): string {
  return text
    .replace(/^\ufeff/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s\u200c_\-.]/g, '');
}

/** Usual column names for each built-in field of every import, English and Persian, already folded. */
const synonyms: Record<string, readonly string[]> = {
  name: ['name', 'fullname', 'contact', 'contactname', 'نام', 'نامونامخانوادگی', 'نامکامل', 'نامسازمان', 'نامشرکت', 'organizationname', 'companyname'],
  email: ['email', 'emailaddress', 'mail', 'ایمیل', 'رایانامه', 'پستالکترونیک'],
  phone: ['phone', 'phonenumber', 'mobile', 'cell', 'tel', 'telephone', 'تلفن', 'موبایل', 'تلفنهمراه', 'شمارهتلفن', 'شمارهتماس'],
  job_title: ['jobtitle', 'title', 'position', 'role', 'سمت', 'عنوانشغلی', 'شغل'],
  organization: ['organization', 'organisation', 'company', 'account', 'سازمان', 'شرکت'],
  address: ['address', 'street', 'نشانی', 'آدرس'],
  city: ['city', 'town', 'شهر'],
  country: ['country', 'countrycode', 'کشور'],
  tags: ['tags', 'tag', 'labels', 'برچسب', 'برچسبها'],
  notes: ['notes', 'note', 'comments', 'description', 'یادداشت', 'یادداشتها', 'توضیحات'],
  birthday: ['birthday', 'birthdate', 'dateofbirth', 'dob', 'تولد', 'تاریختولد', 'زادروز'],
  domain: ['domain', 'website', 'web', 'url', 'site', 'دامنه', 'وبسایت', 'سایت'],
  industry: ['industry', 'sector', 'صنعت', 'حوزه', 'حوزهفعالیت'],
  founded_on: ['foundedon', 'founded', 'foundingdate', 'established', 'تاریختاسیس', 'تاسیس', 'تأسیس', 'تاریختأسیس'],
  company: ['company', 'companyname', 'organization', 'organisation', 'business', 'شرکت', 'نامشرکت', 'سازمان'],
  source: ['source', 'leadsource', 'origin', 'منبع', 'منبعسرنخ'],
  campaign: ['campaign', 'کمپین', 'پویش'],
  medium: ['medium', 'channel', 'رسانه', 'کانال'],
};

/**
 * A first guess at each column's field: a column named like a field (or a usual synonym, or a
 * custom field's key or label) maps to it, each field to one column at most, the first such
 * column winning; other columns are left unmapped (`''`).
 */
export function guessMapping(headers: readonly string[], fields: readonly ImportField[]): string[] {
  const taken = new Set<string>();
  return headers.map((header) => {
    const folded = foldHeader(header);
    const match = fields.find((field) => {
      if (taken.has(field.value)) return false;
      if (foldHeader(field.value) === folded) return true;
      if (field.builtIn) return synonyms[field.value]?.includes(folded) ?? false;
      return foldHeader(field.value.slice(3)) === folded || foldHeader(field.label) === folded;
    });
    if (!match) return '';
    taken.add(match.value);
    return match.value;
  });
}

/**
 * The import's `mapping` parameter: the chosen field of each mapped column, by its header. A
 * column left unmapped is not sent; the server then ignores it unless its header is itself a
 * field's name.
 */
export function mappingParam(headers: readonly string[], mapping: readonly string[]): string {
  const object: Record<string, string> = {};
  headers.forEach((header, index) => {
    const field = mapping[index];
    if (field) object[header.replace(/^\ufeff/, '')] = field;
  });
  return JSON.stringify(object);
}

/** Fields that more than one column maps to, which the wizard asks the user to resolve. */
export function duplicateTargets(mapping: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const field of mapping) {
    if (!field) continue;
    if (seen.has(field)) duplicates.add(field);
    seen.add(field);
  }
  return [...duplicates];
}

/** A header or field name as the server compares them: lower-case, letters, digits and dots only. */
function serverFold(text: string): string {
  return [
    ...text
      .replace(/^\ufeff/, '')
      .trim()
      .toLowerCase(),
  ]
    .filter((char) => /[\p{L}\p{N}.]/u.test(char))
    .join('');
}

/** The prefix that keeps a column the user left out from being taken for the field it is named after. */
export const skippedPrefix = 'skipped: ';

/**
 * The header row to upload: a column the user chose not to import, but which the server would
 * map by its name anyway (a column named `Email`), is renamed so it maps to nothing. Answers the
 * headers and which of them were renamed (new name → the file's name), for the report.
 */
export function uploadHeaders(
  headers: readonly string[],
  mapping: readonly string[],
  fields: readonly ImportField[],
): { headers: string[]; renamed: Record<string, string> } {
  const fieldNames = new Set(fields.map((field) => serverFold(field.value)));
  const renamed: Record<string, string> = {};
  const names = headers.map((header, index) => {
    const clean = header.replace(/^\ufeff/, '');
    if (mapping[index] || !fieldNames.has(serverFold(clean))) return clean;
    const name = `${skippedPrefix}${clean}`;
    renamed[name] = clean;
    return name;
  });
  return { headers: names, renamed };
}

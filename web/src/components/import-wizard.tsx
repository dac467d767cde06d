import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../lib/api/describe-error';
import { duplicateTargets, guessMapping, type ImportField, mappingParam, uploadHeaders } from '../lib/csv-import/column-mapping';
import { parseCsv, reportCsv, withHeaderRow } from '../lib/csv-import/csv';
import { importCsv, type ImportPath, type ImportReport } from '../lib/csv-import/import-csv';
import { type I18n, useI18n } from '../lib/i18n/use-i18n';
import { saveFile } from '../lib/save-file';
import { Button } from './button';
import { Dialog } from './dialog';
import { FormAlert } from './field';
import './import-wizard.css';

/** How much of the file the browser reads for the header and the preview. */
const previewBytes = 256 * 1024;
const previewRows = 5;

type Step = 'upload' | 'map' | 'preview' | 'report';
const steps: Step[] = ['upload', 'map', 'preview', 'report'];

interface ChosenFile {
  file: File;
  headers: string[];
  rows: string[][];
}

export interface ImportWizardProps {
  title: string;
  /** What a row becomes, and what the file must look like. */
  uploadHint: string;
  /** The fields a column may fill: the import's built-in ones, then the custom ones. */
  fields: ImportField[];
  /** A built-in field's label (custom ones carry their own). */
  builtInLabel: (field: string) => string;
  path: ImportPath;
  /** The downloaded report's file name. */
  reportName: string;
  /** After the import ran: what it changed is read again. */
  onImported: () => void;
  onClose: () => void;
}

/**
 * Imports a CSV file in four steps: choose the file; map each of its columns (read from the
 * header row in the browser) to a field, custom fields included, starting from a guess; check
 * the first rows as they will be read; run it and read the server's report, every failed row
 * with its line number, which can be downloaded as CSV. One wizard for every kind of record.
 */
export function ImportWizardDialog({ title, uploadHint, fields, builtInLabel, path, reportName, onImported, onClose }: ImportWizardProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const run = useMutation({
    mutationFn: ({ file, mapping }: { file: Blob; mapping: string }) => importCsv(path, file, mapping),
    onSuccess: onImported,
  });
  const label = (field: ImportField) => (field.builtIn ? builtInLabel(field.value) : field.label);
  const [step, setStep] = useState<Step>('upload');
  const [chosen, setChosen] = useState<ChosenFile | null>(null);
  const [unreadable, setUnreadable] = useState(false);
  const [mapping, setMapping] = useState<string[]>([]);
  const [renamed, setRenamed] = useState<Record<string, string>>({});

  const choose = async (file: File | undefined) => {
    setUnreadable(false);
    if (!file) return;
    const records = parseCsv(await file.slice(0, previewBytes).text(), previewRows + 1);
    const [headers, ...rows] = records;
    if (!headers || headers.every((header) => header.trim() === '')) {
      setUnreadable(true);
      return;
    }
    setChosen({ file, headers, rows });
    setMapping(guessMapping(headers, fields));
    setStep('map');
  };

  const start = async () => {
    if (!chosen) return;
    // Columns left out but named like a field are renamed in the uploaded header row, or the
    // server would import them by their name.
    const upload = uploadHeaders(chosen.headers, mapping, fields);
    const file = Object.keys(upload.renamed).length > 0 ? await withHeaderRow(chosen.file, upload.headers) : chosen.file;
    setRenamed(upload.renamed);
    run.mutate({ file, mapping: mappingParam(upload.headers, mapping) }, { onSuccess: () => setStep('report') });
  };

  return (
    <Dialog title={title} onClose={onClose} className="import-wizard">
      <ol className="import-wizard__steps" aria-label={t('importWizard.stepsLabel')}>
        {steps.map((name, index) => (
          <li key={name} aria-current={name === step ? 'step' : undefined}>
            {`${i18n.number(index + 1)}. ${t(`importWizard.steps.${name}`)}`}
          </li>
        ))}
      </ol>
      {step === 'upload' && (
        <div className="form">
          <p className="muted">{uploadHint}</p>
          <label className="field">
            <span className="field__label">{t('importWizard.file')}</span>
            <input className="input" type="file" name="file" accept=".csv,text/csv" onChange={(event) => void choose(event.target.files?.[0])} />
          </label>
          {unreadable && <FormAlert>{t('importWizard.unreadable')}</FormAlert>}
          <div className="form__actions">
            <Button onClick={onClose}>{t('common.cancel')}</Button>
          </div>
        </div>
      )}
      {step === 'map' && chosen && (
        <MappingStep
          chosen={chosen}
          fields={fields}
          label={label}
          mapping={mapping}
          setMapping={setMapping}
          i18n={i18n}
          onBack={() => setStep('upload')}
          onNext={() => setStep('preview')}
        />
      )}
      {step === 'preview' && chosen && (
        <div className="form">
          <p className="muted">{t('importWizard.previewHint', { count: chosen.rows.length })}</p>
          <PreviewTable chosen={chosen} fields={fields} label={label} mapping={mapping} i18n={i18n} />
          {run.isError && <FormAlert>{describeError(run.error, t)}</FormAlert>}
          <div className="form__actions">
            <Button onClick={() => setStep('map')}>{t('importWizard.back')}</Button>
            <Button variant="primary" busy={run.isPending} onClick={() => void start()}>
              {run.isPending ? t('importWizard.running') : t('importWizard.run')}
            </Button>
          </div>
        </div>
      )}
      {step === 'report' && run.data && <ReportStep report={run.data} renamed={renamed} reportName={reportName} i18n={i18n} onClose={onClose} />}
    </Dialog>
  );
}

function MappingStep({
  chosen,
  fields,
  label,
  mapping,
  setMapping,
  i18n,
  onBack,
  onNext,
}: {
  chosen: ChosenFile;
  fields: ImportField[];
  label: (field: ImportField) => string;
  mapping: string[];
  setMapping: (mapping: string[]) => void;
  i18n: I18n;
  onBack: () => void;
  onNext: () => void;
}) {
  const { t } = i18n;
  const duplicates = duplicateTargets(mapping);
  const nameMapped = mapping.includes('name');
  return (
    <div className="form">
      <p className="muted">{t('importWizard.mapHint')}</p>
      <div className="table-scroll">
        <table className="leads-table import-wizard__mapping" data-testid="import-mapping">
          <thead>
            <tr>
              <th scope="col">{t('importWizard.column')}</th>
              <th scope="col">{t('importWizard.sample')}</th>
              <th scope="col">{t('importWizard.field')}</th>
            </tr>
          </thead>
          <tbody>
            {chosen.headers.map((header, index) => (
              <tr key={index}>
                <th scope="row" dir="auto">
                  {header}
                </th>
                <td dir="auto" className="muted">
                  {chosen.rows[0]?.[index] ?? ''}
                </td>
                <td>
                  <select
                    className="input input--compact"
                    aria-label={t('importWizard.fieldFor', { column: header })}
                    value={mapping[index] ?? ''}
                    aria-invalid={duplicates.includes(mapping[index] ?? '') || undefined}
                    onChange={(event) => setMapping(mapping.map((field, at) => (at === index ? event.target.value : field)))}
                  >
                    <option value="">{t('importWizard.ignore')}</option>
                    {fields.map((field) => (
                      <option key={field.value} value={field.value}>
                        {label(field)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {duplicates.length > 0 && <FormAlert>{t('importWizard.duplicate')}</FormAlert>}
      {!nameMapped && <FormAlert>{t('importWizard.nameNeeded')}</FormAlert>}
      <div className="form__actions">
        <Button onClick={onBack}>{t('importWizard.back')}</Button>
        <Button variant="primary" disabled={duplicates.length > 0 || !nameMapped} onClick={onNext}>
          {t('importWizard.next')}
        </Button>
      </div>
    </div>
  );
}

function PreviewTable({
  chosen,
  fields,
  label,
  mapping,
  i18n,
}: {
  chosen: ChosenFile;
  fields: ImportField[];
  label: (field: ImportField) => string;
  mapping: string[];
  i18n: I18n;
}) {
  const columns = mapping.flatMap((value, index) => {
    const field = fields.find((candidate) => candidate.value === value);
    return field ? [{ index, label: label(field) }] : [];
  });
  return (
    <div className="table-scroll">
      <table className="leads-table" data-testid="import-preview">
        <thead>
          <tr>
            <th scope="col">{i18n.t('importWizard.line')}</th>
            {columns.map((column) => (
              <th key={column.index} scope="col">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {chosen.rows.map((row, rowIndex) => (
            <tr key={rowIndex}>
              <td>{i18n.number(rowIndex + 2)}</td>
              {columns.map((column) => (
                <td key={column.index} dir="auto">
                  {row[column.index] ?? ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReportStep({
  report,
  renamed,
  reportName,
  i18n,
  onClose,
}: {
  report: ImportReport;
  renamed: Record<string, string>;
  reportName: string;
  i18n: I18n;
  onClose: () => void;
}) {
  const { t } = i18n;
  const headings: [string, string, string] = [t('importWizard.line'), t('importWizard.field'), t('importWizard.problem')];
  const download = () => saveFile(new Blob(['\ufeff', reportCsv(report, headings)], { type: 'text/csv' }), reportName);
  return (
    <div className="form" data-testid="import-report">
      <ul className="import-wizard__summary">
        <li>{t('importWizard.report.rows', { count: report.rows })}</li>
        <li>{t('importWizard.report.created', { count: report.created })}</li>
        <li>{t('importWizard.report.attached', { count: report.attached })}</li>
        <li data-testid="import-failed">{t('importWizard.report.failed', { count: report.failed })}</li>
      </ul>
      {report.ignored_columns.length > 0 && (
        <p className="muted">
          {t('importWizard.report.ignored', { columns: report.ignored_columns.map((column) => renamed[column] ?? column).join(t('common.listSeparator')) })}
        </p>
      )}
      {report.errors.length > 0 && (
        <div className="table-scroll">
          <table className="leads-table" data-testid="import-errors">
            <thead>
              <tr>
                {headings.map((heading) => (
                  <th key={heading} scope="col">
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.errors.map((error, index) => (
                <tr key={index} data-line={error.line}>
                  <td>{i18n.number(error.line)}</td>
                  <td dir="ltr">{error.field}</td>
                  <td dir="auto">{error.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.errors_truncated && <p className="muted">{t('importWizard.report.truncated')}</p>}
      <div className="form__actions">
        {report.errors.length > 0 && <Button onClick={download}>{t('importWizard.report.download')}</Button>}
        <Button variant="primary" onClick={onClose}>
          {t('importWizard.done')}
        </Button>
      </div>
    </div>
  );
}

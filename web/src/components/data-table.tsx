import type { ReactNode } from 'react';
import './data-table.css';

/**
 * A table that scrolls sideways inside its own box when it is wider than the screen (a phone),
 * so the page itself never does; the box is focusable so a keyboard can scroll it too.
 */
export function DataTable({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div className="table-scroll data-table__scroll" role="region" aria-label={label} tabIndex={0}>
      <table className="data-table" data-testid={testId}>
        {children}
      </table>
    </div>
  );
}

import { describe, expect, it } from 'vitest';
import { mergeCsvExports, parseCsv } from './lead-export';

describe('CSV exports', () => {
  it('splits records, honouring quotes, doubled quotes and line breaks inside fields', () => {
    const records = parseCsv('id,name,notes\r\n1,"Ahmadi, Sara","said ""call me""\r\nnext week"\r\n2,Reza,\r\n');
    expect(records.map((record) => record.fields)).toEqual([
      ['id', 'name', 'notes'],
      ['1', 'Ahmadi, Sara', 'said "call me"\r\nnext week'],
      ['2', 'Reza', ''],
    ]);
    expect(records[1]?.raw).toBe('1,"Ahmadi, Sara","said ""call me""\r\nnext week"');
  });

  it('reads a last record without a line break', () => {
    expect(parseCsv('a,b\n1,2').map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('merges exports under one header, best score first, with a byte-order mark', () => {
    const news = '\uFEFFid,name,score\r\nb,Bita,70\r\na,Ali,10\r\n';
    const working = 'id,name,score\r\nc,"Chen, Li",40\r\nd,Dara,70\r\n';
    expect(mergeCsvExports([news, working])).toBe('\uFEFFid,name,score\r\nd,Dara,70\r\nb,Bita,70\r\nc,"Chen, Li",40\r\na,Ali,10\r\n');
  });

  it('keeps a single export as the server ordered it', () => {
    expect(mergeCsvExports(['id,score\r\nx,1\r\ny,5\r\n'])).toBe('\uFEFFid,score\r\nx,1\r\ny,5\r\n');
  });

  it('gives an empty file when there is nothing at all', () => {
    expect(mergeCsvExports(['', ''])).toBe('\uFEFF');
  });
});

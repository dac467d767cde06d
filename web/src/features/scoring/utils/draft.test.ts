import { describe, expect, it } from 'vitest';
import { conditionOf, draftOf, emptyRule, moved, parseRules } from './draft';

describe('scoring rule drafts', () => {
  it('read a saved rule and give it back as the API takes it', () => {
    const saved = { name: 'Calls', points: -5, condition: { kind: 'activities_at_least', min: 2, activity_kind: 'call' } } as const;
    const parsed = parseRules([draftOf(saved)]);
    expect(parsed).toEqual({ ok: true, rules: [saved] });
  });

  it('read numbers typed in Persian digits and leave out an activity kind of any kind', () => {
    const draft = { ...emptyRule(), name: 'Engaged', points: '۱۵', kind: 'activities_at_least' as const, min: '۳' };
    expect(parseRules([draft])).toEqual({ ok: true, rules: [{ name: 'Engaged', points: 15, condition: { kind: 'activities_at_least', min: 3 } }] });
  });

  it('name the fields whose numbers do not parse, as the API names its errors', () => {
    const draft = { ...emptyRule(), points: 'lots', kind: 'submissions_at_least' as const, min: '2.5' };
    expect(parseRules([emptyRule(), draft])).toEqual({ ok: false, errors: { 'rules.1.points': 'wholeNumber', 'rules.1.condition': 'wholeNumber' } });
  });

  it('compare custom fields with numbers where the text is one', () => {
    const draft = { ...emptyRule(), kind: 'custom_field' as const, customKey: 'fleet', comparison: 'at_least' as const, text: '۵۰' };
    expect(conditionOf(draft)).toEqual({ kind: 'custom_field', key: 'fleet', comparison: 'at_least', value: 50 });
    expect(conditionOf({ ...draft, comparison: 'equals', text: 'Gold ' })).toEqual({ kind: 'custom_field', key: 'fleet', comparison: 'equals', value: 'Gold' });
    expect(conditionOf({ ...draft, comparison: 'present' })).toEqual({ kind: 'custom_field', key: 'fleet', comparison: 'present', value: null });
  });

  it('move a rule one place, and not past either end', () => {
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
  });
});

// Rules about the source itself, checked with the TypeScript parser:
// - no user-visible text in components outside the locale files;
// - features do not import each other (shared code lives in lib/ and components/; the app composes);
// - file names are kebab-case.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

const files = sourceFiles(srcDir).filter((file) => !file.endsWith('.d.ts'));
const componentFiles = files.filter((file) => file.endsWith('.tsx') && !file.includes('.test.'));
const letters = /\p{L}/u;
// Attributes whose values users see or hear.
const visibleAttributes = new Set(['title', 'placeholder', 'aria-label', 'alt', 'label', 'aria-description']);

describe('source rules', () => {
  it('renders no hard-coded text: every visible string comes from the translation files', () => {
    const offenders: string[] = [];
    for (const file of componentFiles) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const visit = (node: ts.Node) => {
        if (ts.isJsxText(node) && letters.test(node.text)) {
          offenders.push(`${relative(srcDir, file)}: text "${node.text.trim()}"`);
        }
        if (
          ts.isJsxAttribute(node) &&
          visibleAttributes.has(node.name.getText()) &&
          node.initializer &&
          ts.isStringLiteral(node.initializer) &&
          letters.test(node.initializer.text)
        ) {
          offenders.push(`${relative(srcDir, file)}: ${node.name.getText()}="${node.initializer.text}"`);
        }
        if (
          ts.isJsxExpression(node) &&
          node.expression &&
          (ts.isStringLiteral(node.expression) || ts.isNoSubstitutionTemplateLiteral(node.expression)) &&
          letters.test(node.expression.text)
        ) {
          offenders.push(`${relative(srcDir, file)}: {"${node.expression.text}"}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offenders).toEqual([]);
  });

  it('keeps features independent of each other', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const path = relative(srcDir, file).split(sep);
      if (path[0] !== 'features') continue;
      const feature = path[1];
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/from '([^']+)'/g)) {
        const target = match[1]!;
        if (!target.startsWith('.')) continue;
        const resolved = relative(srcDir, join(file, '..', target)).split(sep);
        if (resolved[0] === 'features' && resolved[1] !== feature) offenders.push(`${path.join('/')} imports ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('names files in kebab-case', () => {
    const offenders = files.map((file) => relative(srcDir, file)).filter((path) => !/^[a-z0-9-/.]+$/.test(path.split(sep).join('/')));
    expect(offenders).toEqual([]);
  });
});

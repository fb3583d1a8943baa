import { describe, expect, it } from 'vitest';
import { compileRules, NO_RULE, type SelectRule } from '../../src/stage/rules.js';

const include = (pattern: string): SelectRule => ({ type: 'include', pattern });
const exclude = (pattern: string): SelectRule => ({ type: 'exclude', pattern });

describe('compileRules', () => {
  it('finds the last matching rule above a floor, with dotfiles matched', () => {
    const rules = compileRules([include('**/*.py'), exclude('tests/**'), include('tests/keep.py')]);
    expect(rules.lastMatch('a/b.py', NO_RULE)).toBe(0);
    expect(rules.lastMatch('.hidden/b.py', NO_RULE)).toBe(0);
    expect(rules.lastMatch('tests/x.py', NO_RULE)).toBe(1);
    expect(rules.lastMatch('tests/keep.py', NO_RULE)).toBe(2);
    expect(rules.lastMatch('readme.md', NO_RULE)).toBe(NO_RULE);
    expect(rules.lastMatch('readme.md', 1)).toBe(1);
    expect(rules.typeAt(1)).toBe('exclude');
    expect(rules.typeAt(NO_RULE)).toBeUndefined();
  });

  it('lets a rule matching a directory reach everything inside it', () => {
    const rules = compileRules([exclude('./data/'), include('/data/raw')]);
    expect(rules.dirMatch('data')).toBe(0);
    expect(rules.dirMatch('data/raw/2024')).toBe(1);
    expect(rules.dirMatch('database')).toBe(NO_RULE);
  });

  it.each([
    ['*.py', 'node_modules', false],
    ['**/*.py', 'node_modules', true],
    ['node_modules/mylib', 'node_modules', true],
    ['node_modules/mylib', 'node_modules/mylib', false],
    ['node_modules/mylib/*.js', 'node_modules/mylib', true],
    ['node_modules/mylib/*.js', 'node_modules/mylib/sub', false],
    ['node_modules/mylib/**', 'node_modules/mylib/a/b', true],
    ['node_modules/mylib/**', 'node_modules/other', false],
    ['.venv/lib/*/site.py', '.venv', true],
    ['.venv/lib/*/site.py', '.venv/lib/python3', true],
    ['.venv/lib/*/site.py', '.venv/lib/python3/deeper', false],
    ['{a,b/c}/*.js', 'b', true],
    ['!x', 'anything', true],
  ])('include %s could reach inside %s: %s', (pattern, dir, expected) => {
    expect(compileRules([include(pattern)]).includeCouldReachInside(dir, NO_RULE)).toBe(expected);
  });

  it('ignores includes before the floor and excludes when asking what could reach inside', () => {
    const rules = compileRules([include('node_modules/**'), exclude('node_modules'), exclude('**')]);
    expect(rules.includeCouldReachInside('node_modules', NO_RULE)).toBe(true);
    expect(rules.includeCouldReachInside('node_modules', 1)).toBe(false);
    expect(rules.hasIncludes).toBe(true);
    expect(compileRules([exclude('**')]).hasIncludes).toBe(false);
  });
});

/**
 * Typing command-line flag values: decoded by the type of the flag's default, then
 * validated against its annotations. Pure functions; errors name the flag, the value and
 * what was expected.
 */
import { yamlLib } from '../../transformers/shared/yaml-lib.js';
import { GuildStageError } from '../errors.js';
import type { FlagSite, FlagType, FlagValue } from '../../transformers/types.js';

const INT = /^[+-]?(?:0|[1-9](?:_?[0-9])*)$/;
const FLOAT = /^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9]+)?$/;
const SPECIAL_FLOATS: Record<string, number> = {
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
  nan: NaN,
};
const BOOLEANS: Record<string, boolean> = {
  true: true,
  yes: true,
  on: true,
  '1': true,
  false: false,
  no: false,
  off: false,
  '0': false,
};

function invalid(name: string, raw: string, expected: string): GuildStageError {
  return new GuildStageError('FLAG', `invalid value '${raw}' for flag ${name}: expected ${expected}`);
}

/** Decodes text the way YAML reads a scalar or a flow list, as Guild AI does for untyped flags. */
export function decodeYaml(name: string, raw: string): FlagValue {
  let value: unknown;
  try {
    value = yamlLib().parse(raw, { schema: 'core' });
  } catch {
    return raw;
  }
  if (value === undefined) return raw === '' ? '' : null;
  if (isFlagValue(value)) return value;
  throw invalid(name, raw, 'a number, string, boolean, null or list');
}

function isFlagValue(value: unknown): value is FlagValue {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  return Array.isArray(value) && value.every(isFlagValue);
}

function decodeList(name: string, raw: string): FlagValue[] {
  const text = raw.trim();
  if (text.startsWith('[')) {
    const value = decodeYaml(name, text);
    if (Array.isArray(value)) return value;
    throw invalid(name, raw, 'a list like \'[64, 32]\' or "64 32"');
  }
  if (text === '') return [];
  return text.split(/\s+/).map((item) => {
    const value = decodeYaml(name, item);
    return Array.isArray(value) ? item : value;
  });
}

/** Decodes `raw` as a value of `type`; `null` (a `None`/`NULL` default) decodes as YAML. */
export function decodeAs(name: string, type: FlagType, raw: string): FlagValue {
  const text = raw.trim();
  switch (type) {
    case 'int':
      if (!INT.test(text)) throw invalid(name, raw, 'an integer');
      return safeInt(name, raw, Number(text.replaceAll('_', '')));
    case 'float': {
      const special = SPECIAL_FLOATS[text.toLowerCase()];
      if (special !== undefined) return special;
      if (!FLOAT.test(text)) throw invalid(name, raw, 'a number');
      return Number(text.replaceAll('_', ''));
    }
    case 'boolean': {
      const value = BOOLEANS[text.toLowerCase()];
      if (value === undefined) throw invalid(name, raw, 'a boolean (true/false, yes/no, 1/0)');
      return value;
    }
    case 'string':
      return raw;
    case 'complex':
      // Only the script's language knows how it spells one: its transformer reads the text.
      return text;
    case 'list':
      return decodeList(name, raw);
    case 'null':
      return decodeYaml(name, raw);
  }
}

function safeInt(name: string, raw: string, value: number): number {
  if (!Number.isSafeInteger(value))
    throw invalid(name, raw, `an integer between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`);
  return value;
}

function sameValue(a: FlagValue, b: FlagValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(value: FlagValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Checks `choices`, `min` and `max` from the flag's annotations. */
export function validateValue(site: FlagSite, value: FlagValue): void {
  if (site.choices && !site.choices.some((choice) => sameValue(choice, value))) {
    throw new GuildStageError(
      'FLAG',
      `invalid value '${show(value)}' for flag ${site.name}: expected one of ${site.choices.map(show).join(', ')}`,
      { file: site.file, line: site.line },
    );
  }
  if (typeof value !== 'number') return;
  // NaN compares false with everything: without this it would pass any range.
  if (Number.isNaN(value) && (site.min !== undefined || site.max !== undefined)) {
    const range = [site.min !== undefined && `>= ${site.min}`, site.max !== undefined && `<= ${site.max}`];
    throw new GuildStageError(
      'FLAG',
      `invalid value nan for flag ${site.name}: expected a number ${range.filter(Boolean).join(' and ')}`,
      { file: site.file, line: site.line },
    );
  }
  if (site.min !== undefined && value < site.min) {
    throw new GuildStageError('FLAG', `invalid value ${value} for flag ${site.name}: below the minimum ${site.min}`, {
      file: site.file,
      line: site.line,
    });
  }
  if (site.max !== undefined && value > site.max) {
    throw new GuildStageError('FLAG', `invalid value ${value} for flag ${site.name}: above the maximum ${site.max}`, {
      file: site.file,
      line: site.line,
    });
  }
}

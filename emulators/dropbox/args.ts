/**
 * Route arguments decoded the way Dropbox's servers decode them (stone's strict JSON decoder): unknown
 * fields, missing required fields, wrong types, patterns and ranges are refused with stone's own
 * messages, the field path first (`path: 'x' did not match pattern '...'`). The RPC layer turns an
 * ArgError into a 400 `Error in call to API function "files/x": request body: <message>`.
 */

/** A validation failure; `parents` is the field path from the outermost struct. */
export class ArgError extends Error {
  readonly parents: string[] = [];

  /** `path.to.field: message`, as stone prints it. */
  describe(): string {
    return this.parents.length > 0 ? `${this.parents.join('.')}: ${this.message}` : this.message;
  }
}

export interface Decoder<T> {
  decode(value: unknown): T;
}

/** Python's repr of a JSON value, as stone embeds it in messages (`'x'`, `True`, `None`, `[1, 2]`). */
function repr(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 1000 ? value.slice(0, 1000) : value}'`;
  return str(value);
}

/** Python's str() of a JSON value. */
function str(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (Array.isArray(value)) return `[${value.map(repr).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${repr(k)}: ${repr(v)}`)
      .join(', ')}}`;
  return String(value);
}

/** stone's generic_type_name. */
function typeName(value: unknown): string {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'string';
  if (value === null) return 'null';
  return 'dict';
}

export const bool: Decoder<boolean> = {
  decode(value) {
    if (typeof value !== 'boolean') throw new ArgError(`${repr(value)} is not a valid boolean`);
    return value;
  },
};

export function uint(min = 0, max = Number.MAX_SAFE_INTEGER): Decoder<number> {
  return {
    decode(value) {
      if (typeof value !== 'number' || !Number.isInteger(value) || typeof value === 'boolean')
        throw new ArgError(`expected integer, got ${typeName(value)}`);
      if (value < min || value > max) throw new ArgError(`${value} is not within range [${min}, ${max}]`);
      return value;
    },
  };
}

export function float(min: number, max: number): Decoder<number> {
  return {
    decode(value) {
      if (typeof value !== 'number') throw new ArgError(`expected real number, got ${typeName(value)}`);
      if (value < min) throw new ArgError(`${value.toFixed(6)} is not greater than ${min.toFixed(6)}`);
      if (value > max) throw new ArgError(`${value.toFixed(6)} is not less than ${max.toFixed(6)}`);
      return value;
    },
  };
}

export interface StringRule {
  min?: number;
  max?: number;
  /** A stone pattern (Python regex syntax shared with JS here), anchored at both ends. */
  pattern?: string;
}

export function string(rule: StringRule = {}): Decoder<string> {
  const anchored = rule.pattern === undefined ? undefined : new RegExp(`^(?:${rule.pattern})$`, 'u');
  return {
    decode(value) {
      if (typeof value !== 'string')
        throw new ArgError(`'${str(value)}' expected to be a string, got ${typeName(value)}`);
      const length = [...value].length;
      if (rule.max !== undefined && length > rule.max)
        throw new ArgError(`'${value}' must be at most ${rule.max} characters, got ${length}`);
      if (rule.min !== undefined && length < rule.min)
        throw new ArgError(`'${value}' must be at least ${rule.min} characters, got ${length}`);
      if (anchored && !anchored.test(value))
        throw new ArgError(`'${value}' did not match pattern '${rule.pattern}'`);
      return value;
    },
  };
}

/** Days of a month (1-12) of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * `%Y-%m-%dT%H:%M:%SZ` (common.DropboxTimestamp) -> epoch milliseconds, checked as Python's strptime
 * checks it (stone's decoder): fields out of their pattern's range do not match the format; a day
 * past the month's end, second 60 or 61, or year 0 are refused with datetime's own messages.
 */
export const timestamp: Decoder<number> = {
  decode(value) {
    if (typeof value !== 'string')
      throw new ArgError(`strptime() argument 1 must be str, not ${typeName(value)}`);
    const match =
      /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):([0-5]\d):([0-5]\d|6[01])Z$/.exec(
        value,
      );
    if (!match) throw new ArgError(`time data '${value}' does not match format '%Y-%m-%dT%H:%M:%SZ'`);
    const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (year === 0) throw new ArgError('year 0 is out of range');
    if (day > daysInMonth(year, month)) throw new ArgError('day is out of range for month');
    if (second > 59) throw new ArgError('second must be in 0..59');
    const time = new Date(0);
    time.setUTCFullYear(year, month - 1, day);
    time.setUTCHours(hour, minute, second, 0);
    return time.getTime();
  },
};

export function list<T>(item: Decoder<T>, limits: { min?: number; max?: number } = {}): Decoder<T[]> {
  return {
    decode(value) {
      if (!Array.isArray(value)) throw new ArgError(`${repr(value)} is not a valid list`);
      if (limits.max !== undefined && value.length > limits.max)
        throw new ArgError(`${repr(value)} has more than ${limits.max} items`);
      if (limits.min !== undefined && value.length < limits.min)
        throw new ArgError(`${repr(value)} has fewer than ${limits.min} items`);
      return value.map((entry) => item.decode(entry));
    },
  };
}

/** A field of a struct: required (no default), optional (`optional: true`, may be absent or null) or defaulted. */
export interface Field<T> {
  decoder: Decoder<T>;
  default?: T;
  optional?: boolean;
}

export const required = <T>(decoder: Decoder<T>): Field<T> => ({ decoder });
export const optional = <T>(decoder: Decoder<T>): Field<T | undefined> => ({
  decoder: decoder as Decoder<T | undefined>,
  optional: true,
});
export const withDefault = <T>(decoder: Decoder<T>, value: T): Field<T> => ({ decoder, default: value });

type FieldsOf<S> = { [K in keyof S]: Field<S[K]> };

/** A stone struct: strict about unknown fields, fields decoded in declaration order. */
export function struct<S extends Record<string, unknown>>(fields: FieldsOf<S>): Decoder<S> {
  const names = Object.keys(fields);
  const allOptional = names.every((n) => fields[n]!.optional || 'default' in fields[n]!);
  return {
    decode(value) {
      if ((value === null || value === undefined) && allOptional) value = {};
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new ArgError(`expected object, got ${typeName(value)}`);
      const input = value as Record<string, unknown>;
      for (const key of Object.keys(input))
        if (!names.includes(key) && !key.startsWith('.tag')) throw new ArgError(`unknown field '${key}'`);
      const out: Record<string, unknown> = {};
      for (const name of names) {
        const field = fields[name]!;
        if (name in input && !(field.optional && input[name] === null)) {
          try {
            out[name] = field.decoder.decode(input[name]);
          } catch (error) {
            if (error instanceof ArgError) error.parents.unshift(name);
            throw error;
          }
        } else if ('default' in field) {
          out[name] = field.default;
        } else if (!field.optional) {
          throw new ArgError(`missing required field '${name}'`);
        }
      }
      return out as S;
    },
  };
}

/** A decoded union value: its tag and, for members that carry one, the value. */
export interface UnionValue {
  tag: string;
  value?: unknown;
}

/**
 * A stone union. `members` maps each tag to the decoder of its value (null for void members); a
 * struct-valued member takes its fields from the union object itself, others from the key named as
 * the tag. Void members may be given as a bare string (`"mode": "add"`).
 */
export function union(
  members: Record<string, Decoder<unknown> | null>,
  structMembers: string[] = [],
): Decoder<UnionValue> {
  return {
    decode(value) {
      if (typeof value === 'string') {
        if (!(value in members)) throw new ArgError(`unknown tag '${value}'`);
        if (members[value] !== null) throw new ArgError(`expected object for '${value}', got symbol`);
        return { tag: value };
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new ArgError(`expected string or object, got ${typeName(value)}`);
      const input = value as Record<string, unknown>;
      if (!('.tag' in input)) throw new ArgError("missing '.tag' key");
      const name = input['.tag'];
      if (typeof name !== 'string') throw new ArgError(`tag must be string, got ${typeName(name)}`);
      if (!(name in members)) throw new ArgError(`unknown tag '${name}'`);
      const decoder = members[name];
      try {
        if (decoder === null || decoder === undefined) {
          if (name in input && input[name] !== null)
            throw new ArgError(`expected null, got ${typeName(input[name])}`);
          for (const key of Object.keys(input))
            if (key !== name && key !== '.tag') throw new ArgError(`unexpected key '${key}'`);
          return { tag: name };
        }
        if (structMembers.includes(name)) {
          const { '.tag': _ignored, ...fields } = input;
          return { tag: name, value: decoder.decode(fields) };
        }
        for (const key of Object.keys(input))
          if (key !== name && key !== '.tag') throw new ArgError(`unexpected key '${key}'`);
        if (!(name in input)) throw new ArgError(`missing '${name}' key`);
        return { tag: name, value: decoder.decode(input[name]) };
      } catch (error) {
        if (error instanceof ArgError && decoder) error.parents.unshift(name);
        throw error;
      }
    },
  };
}

/** A union whose members are all void, decoded to its tag. */
export function voidUnion<T extends string>(tags: readonly T[]): Decoder<T> {
  const inner = union(Object.fromEntries(tags.map((t) => [t, null])));
  return { decode: (value) => inner.decode(value).tag as T };
}

/** The route takes no argument: only an absent body or JSON `null` is accepted. */
export const voidArg: Decoder<null> = {
  decode(value) {
    if (value !== null && value !== undefined) throw new ArgError('expected null, got value');
    return null;
  },
};

// `show(v)`: how an input value is named in a problem message (a string quoted, a number as written, "a list", "an object", "nothing").

/**
 * An untyped input value as a problem message names it: a string JSON-quoted, `undefined` as "nothing",
 * an array as "a list", null as "null", another object as "an object", anything else as `String(v)`.
 */
export const show = (v: unknown): string =>
  typeof v === 'string'
    ? JSON.stringify(v)
    : v === undefined
      ? 'nothing'
      : Array.isArray(v)
        ? 'a list'
        : v === null
          ? 'null'
          : typeof v === 'object'
            ? 'an object'
            : String(v);

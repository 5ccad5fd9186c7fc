/**
 * Ends a `switch` over a discriminated union (house style §5): the compiler proves the default
 * is unreachable, and if a new variant slips in at run time the failure names it. A TypeError,
 * not an AppError: it marks a programming error, never an input to classify or retry.
 */
export function assertNever(value: never, what = 'variant'): never {
  throw new TypeError(`unhandled ${what}: ${JSON.stringify(value)}`);
}

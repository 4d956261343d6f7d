// What every validator of input shares: a failure that names the field, and the checks that
// recur. Validators throw `Invalid` internally and turn it into a message at their edge.

export class Invalid extends Error {}

export function fail(path: string, reason: string): never {
  throw new Invalid(`${path}: ${reason}`);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** C0 controls, DEL and C1 controls: never in an id or a name. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A value as a message shows it: short JSON, or its kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (isObject(value)) return 'an object';
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

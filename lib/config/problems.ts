/** Collects configuration problems instead of throwing at the first, so users fix everything in one go. */
export class Problems {
  readonly list: string[] = [];
  add(message: string): undefined {
    this.list.push(message);
    return undefined;
  }
}

/** `why` explains a missing value (a misspelt variable or key), asked only when it is missing. */
export function requiredString(
  problems: Problems,
  value: unknown,
  source: string,
  hint: string,
  why = (): string => '',
): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  return problems.add(`${source} is missing${why()}: ${hint}`);
}

export function absoluteUrl(problems: Problems, value: string | undefined, source: string): URL | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  return problems.add(`${source} must be an absolute http(s) URL such as https://example.com/callback (got "${value}")`);
}

export function parseBoolean(problems: Problems, value: unknown, source: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  problems.add(`${source} must be true or false (got "${String(value)}")`);
  return fallback;
}

export function parseInteger(problems: Problems, value: unknown, source: string, range: [number, number]): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (Number.isInteger(number) && number >= range[0] && number <= range[1]) return number;
  return problems.add(`${source} must be a whole number from ${range[0]} to ${range[1]} (got "${String(value)}")`);
}

/** A value as an error message can show it, whatever it is (a BigInt or a cycle cannot break the report). */
function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** An option in whole milliseconds, given as a number (no environment variable backs these). */
export function milliseconds(
  problems: Problems,
  value: unknown,
  name: string,
  range: [number, number],
  example: string,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= range[0] && value <= range[1]) return value;
  return problems.add(
    `option \`${name}\` must be a whole number of milliseconds from ${range[0]} to ${range[1]}, e.g. ${example} (got ${shown(value)})`,
  );
}

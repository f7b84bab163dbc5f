import { ENV_NAMES, pick, type Env, type EnvBacked } from './env';
import { misspeltVariables } from './env-typos';
import type { AuthKitOptions } from './options';
import { unknownOptions, type OptionKey } from './option-keys';

/**
 * What was given but will not be used — an unknown option key, a misspelt `WORKOS_*` variable —
 * said where it matters: in the "missing" line of the required option it was probably meant for
 * (the error is thrown anyway), otherwise as one warning each when the instance is created.
 */
export interface SettingNotes {
  /** Why a missing required option may be missing (`" (WORKOS_COOKIE_PASWORD is set: did you mean …?)"`), or `''`. */
  whyMissing(option: EnvBacked): string;
  /** One warning per mistake that no "missing" line explained. */
  warnings(): string[];
}

interface Note {
  option: OptionKey | undefined;
  /** For a "missing" line. */
  hint: string;
  warning: string;
}

/** A misspelt variable matters only when the option it was meant for got no value; else it is someone else's. */
function variableNotes(options: AuthKitOptions, env: Env): Note[] {
  return misspeltVariables(env)
    .filter(({ option }) => pick(options, env, option).value === undefined && !(option === 'apiKey' && options.workos !== undefined))
    .map(({ name, meant, option }) => ({
      option,
      hint: `${name} is set: did you mean ${meant}?`,
      warning: `${name} is set, but authkit-express does not read it: did you mean ${meant}? Until it is renamed, \`${option}\` keeps its default.`,
    }));
}

function optionNotes(options: AuthKitOptions): Note[] {
  return unknownOptions(options).map(({ key, meant, option }) => ({
    option,
    hint: `option \`${key}\` was given: did you mean \`${meant ?? ''}\`?`,
    warning:
      meant === undefined
        ? `createAuthKit ignores the unknown option \`${key}\` (the README's Options section lists them all).`
        : `createAuthKit ignores the unknown option \`${key}\`: did you mean \`${meant}\`?`,
  }));
}

/** `{ ...settings, clientId: process.env.WORKOS_CLIENT_ID }` with the variable unset: the spread value was replaced. */
function explicitUndefinedHint(options: AuthKitOptions, option: EnvBacked): string | undefined {
  if (!Object.hasOwn(options, option) || options[option] !== undefined) return undefined;
  const variable = `process.env.${ENV_NAMES[option]}`;
  return (
    `option \`${option}\` is undefined: in { ...settings, ${option}: ${variable} } an unset variable replaces the value spread before it; ` +
    `write ${option}: ${variable} ?? settings.${option}`
  );
}

export function settingNotes(options: AuthKitOptions, env: Env): SettingNotes {
  const notes = [...variableNotes(options, env), ...optionNotes(options)];
  const explained = new Set<OptionKey>();
  return {
    whyMissing(option) {
      explained.add(option);
      const hints = notes.filter((note) => note.option === option).map((note) => note.hint);
      const spread = explicitUndefinedHint(options, option);
      if (spread !== undefined) hints.push(spread);
      return hints.length === 0 ? '' : ` (${hints.join('; ')})`;
    },
    warnings: () => notes.filter((note) => note.option === undefined || !explained.has(note.option)).map((note) => note.warning),
  };
}

// "Did you mean …?" for a mistyped command, by edit distance (fastest-levenshtein: a small,
// well-kept implementation; the CLI compares a word against a dozen names, so speed is moot).
import { closest, distance } from 'fastest-levenshtein';
import { cliError } from './cli-errors';
import type { AppError } from '@inviteflow/runtime';

/**
 * The known word nearest to `word`, when near enough to be a typo: at most 2 edits, or a
 * third of the word for long ones (`diray` → `diary`, `frobnicate` → nothing).
 */
export function nearestWord(word: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(word.toLowerCase(), [...known]);
  return distance(word.toLowerCase(), best) <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** `unknown command 'diray'; did you mean 'diary'?` (exit 2: a usage error). */
export function unknownWordError(kind: 'command' | 'sub-command', word: string, known: readonly string[], context = ''): AppError {
  const near = nearestWord(word, known);
  const what = `unknown ${kind} '${context ? `${context} ${word}` : word}'`;
  const hint = near ? `did you mean '${context ? `${context} ${near}` : near}'?` : `known: ${known.join(', ')}`;
  return cliError('CLI_UNKNOWN_COMMAND', `${what}; ${hint}`, { word, suggestion: near });
}

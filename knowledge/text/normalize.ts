/** Removes diacritics and folds ligatures: "Coopérative, œuvre" -> "Cooperative, oeuvre". */
export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE');
}

/** The comparison form used to match phrases: lowercase, no accents, punctuation as spaces, single spaces. */
export function normalizeForMatch(text: string): string {
  return foldAccents(text.toLowerCase())
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Removes control and invisible formatting characters, keeping line breaks and tabs. */
export function stripControlCharacters(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (char) => ('\n\r\t'.includes(char) ? char : ''));
}

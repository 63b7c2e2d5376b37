/**
 * What every French value parser returns: the normalized value with its French echo (shown to the
 * person for confirmation), or a French message that says what was wrong and gives an example.
 */
export type Parsed<T> =
  | { ok: true; value: T; echo: string; warnings?: string[] }
  | { ok: false; message: string };

export function accept<T>(value: T, echo: string, warnings: string[] = []): Parsed<T> {
  return warnings.length > 0 ? { ok: true, value, echo, warnings } : { ok: true, value, echo };
}

export function refuse(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

/** Quotes a user's text in French guillemets, shortened so a re-prompt stays readable. */
export function quote(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const shown = flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
  return `« ${shown} »`;
}

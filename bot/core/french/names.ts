/**
 * A structure's name given in a sentence: « c’est le centre social qui porte » → « centre social »,
 * « l’action est portée par la mairie » → « mairie ». Text without such a sentence comes back as
 * typed (trimmed), so a plain name is never changed.
 */
const SENTENCES: RegExp[] = [
  /^(?:c['’]est|ce sera|ça sera|ca sera)\s+(.+?)\s+qui\s+(?:la\s+|le\s+|l['’])?(?:porte|portera|pilote|pilotera|coordonne|coordonnera|m[eè]ne|m[eè]nera|g[eè]re|g[eè]rera)\b.*$/i,
  /^(?:(?:l['’]action|le projet|elle|il)\s+)?(?:est|sera)\s+port[ée]e?\s+par\s+(.+)$/i,
  /^port[ée]e?\s+par\s+(.+)$/i,
  /^(?:c['’]est|ce sera)\s+(.+)$/i,
];
const ARTICLE = /^(?:le|la|les|l['’]|notre|nos)\s*/i;

export function nameFromSentence(text: string): string {
  const trimmed = text.trim().replace(/[\s.!]+$/, '');
  for (const sentence of SENTENCES) {
    const match = sentence.exec(trimmed);
    if (match?.[1]) {
      const name = match[1].replace(ARTICLE, '').trim();
      if (name.length >= 2) return name.charAt(0).toUpperCase() + name.slice(1);
    }
  }
  return text.trim();
}

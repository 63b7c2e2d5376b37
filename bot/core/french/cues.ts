/** Words that open a correction without carrying its value (« en fait », « finalement »). */
const OPENERS =
  /^(?:\s|[,.!:;-])*(?:en fait|en realite|finalement|plutot|non|pardon|oups|euh|ah|correction|je corrige|je me suis trompee?|erreur|petite correction|rectification)(?![a-z])/;

/** Words after which the value comes (« le budget est de », « c’est », « = »). */
const LINKS =
  /(?:^|\s)(?:est de|est d'|est a|sera de|sera|c'est|ce sera|ca fait|fait|=|:|->|plutot|devient|passe a|remplace par|a remplacer par|a la place|je voulais dire|mettre|mets|mettez|corrigez en|change(?:z|r)? en)(?:\s|$)/g;

function foldForCues(text: string): string {
  // Same length as the input, so positions found here cut the original text.
  return [...text]
    .map((char) => {
      if (/[’‘ʼ`]/.test(char)) return "'";
      const folded = char.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
      return folded.length === 1 ? folded : char;
    })
    .join('');
}

/**
 * The value part of a correction, so the engine can parse it with the field's parser: « en fait
 * le budget est de 15 000 € » → « 15 000 € ». Undefined when the text has no cue at all (then the
 * whole text is the value). The first link after the openers wins, so a value that itself holds a
 * colon (« CCAS : 0,3 ETP ») should be given without a field name before it.
 */
export function extractValueAfterCue(text: string): string | undefined {
  const folded = foldForCues(text);
  const skipOpeners = (from: number): number => {
    let at = from;
    for (let opener = OPENERS.exec(folded.slice(at)); opener; opener = OPENERS.exec(folded.slice(at))) {
      at += opener[0].length;
    }
    return at;
  };
  // The first link gives the value; a later « = » or « est de » (not a colon, which values hold)
  // means the words before it still named the field.
  let valueStart = skipOpeners(0);
  let firstLink = true;
  for (;;) {
    LINKS.lastIndex = 0;
    const link = LINKS.exec(folded.slice(valueStart));
    if (!link || (!firstLink && link[0].trim() === ':')) break;
    valueStart = skipOpeners(valueStart + link.index + link[0].length);
    firstLink = false;
  }
  if (valueStart === 0) return undefined;
  const value = text
    .slice(valueStart)
    .replace(/^[\s,:;=-]+/, '')
    .replace(/[\s.!]+$/, '');
  return value === '' ? undefined : value;
}

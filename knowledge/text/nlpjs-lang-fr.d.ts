// @nlpjs/lang-fr ships no types; only what the analyzer uses is declared.
declare module '@nlpjs/lang-fr' {
  export class StemmerFr {
    stemWord(word: string): string;
  }
  export class StopwordsFr {
    dictionary: Record<string, boolean>;
  }
}

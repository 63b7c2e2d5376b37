import { type PassageTerms, termFound } from './passage-terms.ts';
import type { AnalyzedQuery } from './query.ts';
import {
  type ExpectedFact,
  expectedFact,
  type FactKind,
  type QuestionName,
  questionNames,
} from './question-facts.ts';
import { isStopword } from './text/french-analyzer.ts';
import { normalizeForMatch } from './text/normalize.ts';

/** Whether the best passages answer the question, and if not, what they lack. */
export type Coverage =
  | { covered: true }
  /** The documents are about something else. */
  | { covered: false; lacking: 'subject' }
  /** The question names a programme, body or place the best passages never mention. */
  | { covered: false; lacking: 'name'; name: string }
  /** The passages are about the subject but do not state the fact asked (an amount, a date…). */
  | { covered: false; lacking: 'fact'; missing: string; closest?: string };

const CONTACT_KINDS: ReadonlySet<FactKind> = new Set([
  'phone',
  'email',
  'address',
  'website',
  'hours',
  'person',
]);
/** A term in at most this many passages is specific enough to make a match on its own. */
const RARE_TERM_MAX_PASSAGES = 2;
/** Share of the question's own words that a passage must hold when no one sentence gathers two of them. */
const MOST_OF_THE_QUESTION = 0.6;
/** A capitalised word in at most this many passages is a name rather than a common word. */
const NAME_MAX_PASSAGES = 3;

/**
 * Decides whether the passages found answer the question, rather than sharing a word or two with it:
 * - the subject: most of the question's words exist in the corpus, and one sentence of the best passages
 *   names at least two of them (its heading may name one), or the passage holds a rare one;
 * - the names: a programme, body or place the question names (« le programme Zéphyr ») is in those passages;
 * - the fact: a question for an amount, a date, a number, a phone number or a person's name finds it stated
 *   in a passage that also holds the question's names.
 */
export class CoverageCheck {
  constructor(
    private readonly passages: ReadonlyMap<string, PassageTerms>,
    private readonly documentFrequencies: Record<string, number>,
    private readonly analyze: (text: string) => string[],
  ) {}

  check(query: AnalyzedQuery, top: PassageTerms[]): Coverage {
    if (!this.coversSubject(query, top)) return { covered: false, lacking: 'subject' };
    const names = this.namesOf(query);
    const absent = names.find(
      (name) => name.introduced && !top.some((passage) => this.holdsName(query, name, passage)),
    );
    if (absent) return { covered: false, lacking: 'name', name: absent.word };
    // A name may sit in a neighbouring passage of the same document (« Réseau 77 » in its first part).
    const holdsNames = (passage: PassageTerms) =>
      names.every((name) =>
        top.some(
          (other) =>
            other.passage.document === passage.passage.document && this.holdsName(query, name, other),
        ),
      );
    const fact = expectedFact(query.text, this.analyze);
    if (!fact) return { covered: true };
    if (top.some((passage) => holdsNames(passage) && this.statesFact(query, fact, passage))) {
      return { covered: true };
    }
    // Near an amount or a date, what the documents say helps; near a phone number or opening hours, it does not.
    if (CONTACT_KINDS.has(fact.kind)) return { covered: false, lacking: 'fact', missing: fact.missing };
    const closest = top.find(holdsNames) ?? top[0];
    return { covered: false, lacking: 'fact', missing: fact.missing, closest: closest?.passage.id };
  }

  /** Whether a passage names something the question names and states the fact it asks for. */
  answersFact(query: AnalyzedQuery, fact: ExpectedFact, passage: PassageTerms): boolean {
    const names = this.namesOf(query);
    return (
      (names.length === 0 ||
        names.some(
          (name) => this.holdsName(query, name, passage) || this.documentHoldsName(query, name, passage),
        )) &&
      this.statesFact(query, fact, passage)
    );
  }

  /**
   * Whether a passage states the fact the question asks for in a sentence about what it asks: with its
   * neighbours (or its heading), that sentence names one of the question's names, and it or the passage
   * (the sentence alone when the question names nothing) one of its other words.
   */
  statesFact(query: AnalyzedQuery, fact: ExpectedFact, passage: PassageTerms): boolean {
    const nameTerms = new Set(this.namesOf(query).flatMap((name) => this.analyze(name.word)));
    const others = this.ownTerms(query).filter((term) => !nameTerms.has(term));
    const counted = fact.counted ? this.analyze(fact.counted) : [];
    // What is counted must be there as itself (or an acronym's long form), not as a synonym.
    const strict = { ...query, alternatives: new Map<string, string[]>() };
    const isRare = (word: string) => this.isRare(word);
    // A number names a document's subject (« réseau 77 ») that its title or first part may hold alone.
    const inHeading = (term: string) =>
      termFound(query, term, passage.heading, passage.headingMatchText) ||
      (/^\d+$/.test(term) && passage.documentTerms.has(term));
    return passage.units.some((unit, i) => {
      if (!fact.heldIn(unit.text, isRare)) return false;
      if (!counted.every((term) => termFound(strict, term, unit.terms, unit.matchText))) return false;
      const around = passage.units.slice(Math.max(0, i - 1), i + 2);
      const inWindow = (term: string) => around.some((u) => termFound(query, term, u.terms, u.matchText));
      const named = nameTerms.size === 0 || [...nameTerms].some((term) => inWindow(term) || inHeading(term));
      const inPassage = (term: string) => termFound(query, term, passage.all, passage.matchText);
      return (
        named &&
        (others.length === 0 || others.some(inWindow) || (nameTerms.size > 0 && others.some(inPassage)))
      );
    });
  }

  /** Whether a sentence states the precise fact the question asks for, when it asks for one. */
  factStatement(query: AnalyzedQuery): ((sentence: string) => boolean) | undefined {
    const fact = expectedFact(query.text, this.analyze);
    return fact && ((sentence) => fact.heldIn(sentence, (word) => this.isRare(word)));
  }

  /** A word in so few passages is a name rather than a common word of the documents. */
  private isRare(word: string): boolean {
    return this.analyze(word).every((term) => (this.documentFrequencies[term] ?? 0) <= NAME_MAX_PASSAGES);
  }

  private holdsName(query: AnalyzedQuery, name: QuestionName, passage: PassageTerms): boolean {
    if (passage.matchText.includes(` ${normalizeForMatch(name.word)} `)) return true;
    const terms = this.nameTerms(query, name);
    return terms.length > 0 && terms.every((term) => termFound(query, term, passage.all, passage.matchText));
  }

  /**
   * A name may be what the whole document is about (« Réseau 77 » in its opening lines), and then its other
   * passages state facts about it without repeating it.
   */
  private documentHoldsName(query: AnalyzedQuery, name: QuestionName, passage: PassageTerms): boolean {
    const terms = this.nameTerms(query, name);
    return terms.length > 0 && terms.every((term) => termFound(query, term, passage.documentTerms, ''));
  }

  /** An acronym that is also a short word (« CA », « DD ») stays whole, to be found through its long forms. */
  private nameTerms(query: AnalyzedQuery, name: QuestionName): string[] {
    const acronym = name.word.toLowerCase();
    return query.longForms.has(acronym) ? [acronym] : this.analyze(name.word);
  }

  /** The question's names, with the acronyms it uses however written (« copil » as well as « COPIL »). */
  private namesOf(query: AnalyzedQuery): QuestionName[] {
    const names = questionNames(query.text, isStopword);
    const written = new Set(names.map((name) => name.word.toLowerCase()));
    const acronyms = [...query.longForms.keys()].filter((acronym) => !written.has(acronym));
    return [...names, ...acronyms.map((word) => ({ word, introduced: false }))];
  }

  private ownTerms(query: AnalyzedQuery): string[] {
    return [...query.terms].filter(([, weight]) => weight >= 1).map(([term]) => term);
  }

  private coversSubject(query: AnalyzedQuery, top: PassageTerms[]): boolean {
    const own = this.ownTerms(query);
    if (own.length === 0 || top.length === 0) return false;
    const unknown = own.filter(
      (term) =>
        !this.documentFrequencies[term] &&
        ![...this.passages.values()].some((p) => termFound(query, term, p.all, p.matchText)),
    ).length;
    if (unknown / own.length >= 0.5) return false;
    const matched = top.map((p) => own.filter((term) => termFound(query, term, p.all, p.matchText)));
    if (own.length === 1) return matched.some((terms) => terms.length === 1);
    // The sentence that answers names at least two words of the question; its heading may name one of them.
    const inOneSentence = top.some((p) =>
      p.units.some((unit) => {
        const inUnit = own.filter((term) => termFound(query, term, unit.terms, unit.matchText));
        if (inUnit.length === 0) return false;
        return (
          own.filter((term) => inUnit.includes(term) || termFound(query, term, p.heading, p.headingMatchText))
            .length >= 2
        );
      }),
    );
    if (inOneSentence) return true;
    // A passage that holds most of a longer question is about it, even when no sentence gathers its words.
    const most = Math.max(3, Math.ceil(own.length * MOST_OF_THE_QUESTION));
    if (matched.some((terms) => terms.length >= most)) return true;
    return (
      unknown === 0 &&
      matched.some((terms) =>
        terms.some((term) => (this.documentFrequencies[term] ?? 0) <= RARE_TERM_MAX_PASSAGES),
      )
    );
  }
}

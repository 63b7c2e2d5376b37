/** A source document of the knowledge base, as declared in its front matter. */
export interface SourceDocument {
  id: string;
  title: string;
  publisher: string;
  year: number;
  url?: string;
}

/** One retrievable passage: a piece of a document that knows where it sits. */
export interface Passage {
  /** Stable id: `<document>:<ordinal>`. */
  id: string;
  document: string;
  /** Title of the document. */
  title: string;
  /** Section path joined with " › ", e.g. "Fiches pratiques › Contractualisation › Convention de partenariat". */
  section: string;
  sectionPath: string[];
  /** URL fragment of the section in the source viewer. */
  anchor: string;
  text: string;
}

export interface RetrievedPassage extends Passage {
  score: number;
}

export interface Citation {
  /** Number used in the answer text as [n]. */
  n: number;
  document: string;
  title: string;
  section: string;
  anchor: string;
  passageId: string;
  snippet: string;
}

export type AnswerMode = 'extractive' | 'llm';

export interface Answer {
  question: string;
  /** The answer in French, with [n] markers referring to `citations`, then its notices and list of sources. */
  text: string;
  /** The answer alone, with its notices but without the list of sources, for channels that render citations. */
  body: string;
  abstained: boolean;
  /** Retrieved passages, best first. */
  sources: RetrievedPassage[];
  /** Passages cited in `text`, numbered. */
  citations: Citation[];
  mode: AnswerMode;
  /** A short note for the user (question too long, in English, instructions ignored…). */
  notice?: string;
}

export interface AnswerOptions {
  k?: number;
  /** Earlier turns of the same thread, oldest first, used as context for follow-ups. */
  history?: { question: string; answer: string }[];
  /** Called with the whole text so far while an LLM streams the answer. */
  onPartial?: (textSoFar: string) => void;
}

/** Why a source file was left out of the index. */
export type SkipReason = 'empty' | 'no-text' | 'unreadable' | 'too-large' | 'duplicate-id';

/** A source file left out of the index, so that one bad file never takes the rest down. */
export interface SkippedSource {
  /** Its path inside the sources folder, e.g. « rapports/bilan.pdf ». */
  file: string;
  reason: SkipReason;
  /** Why, in French, e.g. « PDF illisible ou endommagé (Invalid PDF structure.) ». */
  message: string;
}

/** What the index was built from. */
export interface SourceReport {
  documents: number;
  passages: number;
  skipped: SkippedSource[];
  /** When the index was built (ISO 8601). */
  builtAt: string;
}

/** What the rest of the application knows of the knowledge base. */
export interface KnowledgeBase {
  retrieve(question: string, k?: number): Promise<RetrievedPassage[]>;
  answer(question: string, options?: AnswerOptions): Promise<Answer>;
  documents(): SourceDocument[];
  /** The document's Markdown body and its passages, for the source viewer. */
  documentContent(
    id: string,
  ): { document: SourceDocument; markdown: string; passages: Passage[] } | undefined;
  /** What the index holds, and the source files it had to leave out. */
  sourceReport(): SourceReport;
}

/** Turns texts into vectors. `id` names the model and settings: the index is rebuilt when it changes. */
export interface Embedder {
  readonly id: string;
  embed(texts: string[]): Promise<number[][]>;
}

/** Writes a grounded answer from retrieved passages with an LLM. Throws on error or timeout. */
export interface LlmAnswerWriter {
  write(input: {
    question: string;
    /** Numbered [1..n] in this order. */
    passages: RetrievedPassage[];
    history?: { question: string; answer: string }[];
    onPartial?: (textSoFar: string) => void;
  }): Promise<{ text: string; abstained: boolean }>;
}

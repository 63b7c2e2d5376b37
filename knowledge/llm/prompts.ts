import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RetrievedPassage } from '../types.ts';

/** What the model answers, alone, when the passages do not answer the question. */
export const ABSTAIN_SENTINEL = 'HORS_CORPUS';

/** `prompts/` at the repository root, wherever the process was started from. */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** Only the last turns are sent: enough for a follow-up, without drowning the passages. */
const MAX_HISTORY_TURNS = 3;
const MAX_HISTORY_ANSWER_CHARS = 600;
const MAX_HISTORY_QUESTION_CHARS = 300;

const REQUIRED_PLACEHOLDERS = {
  system: ['sentinel'],
  user: ['history', 'passages', 'question'],
} as const;
const KNOWN_PLACEHOLDERS = new Set(['sentinel', 'passageCount', 'history', 'passages', 'question']);
const PLACEHOLDER = /\{\{(\w+)\}\}/g;
const BLOCK_TAG = /<\s*(\/?)\s*(historique|passages|question)\s*>/gi;
const CITATION_MARKER = /\s*\[\d+(?:\s*,\s*\d+)*\]/g;

export interface AnswerTemplates {
  system: string;
  user: string;
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface AnswerPromptInput {
  question: string;
  /** Numbered [1..n] in this order. */
  passages: RetrievedPassage[];
  history?: { question: string; answer: string }[];
}

/** Reads `answer.system.md` and `answer.user.md`, failing early on a missing or misspelled placeholder. */
export function loadAnswerTemplates(dir: string = DEFAULT_PROMPTS_DIR): AnswerTemplates {
  const templates = {
    system: readFileSync(path.join(dir, 'answer.system.md'), 'utf8').trim(),
    user: readFileSync(path.join(dir, 'answer.user.md'), 'utf8').trim(),
  };
  for (const kind of ['system', 'user'] as const) {
    const found = new Set([...templates[kind].matchAll(PLACEHOLDER)].map((match) => match[1]));
    const unknown = [...found].filter((name) => !KNOWN_PLACEHOLDERS.has(name ?? ''));
    const missing = REQUIRED_PLACEHOLDERS[kind].filter((name) => !found.has(name));
    if (unknown.length > 0 || missing.length > 0) {
      throw new Error(
        `Prompt answer.${kind}.md in ${dir}: unknown placeholders [${unknown.join(', ')}], missing [${missing.join(', ')}]`,
      );
    }
  }
  return templates;
}

let cachedDefaultTemplates: AnswerTemplates | undefined;

function defaultTemplates(): AnswerTemplates {
  cachedDefaultTemplates ??= loadAnswerTemplates();
  return cachedDefaultTemplates;
}

/** The system prompt, then one user message holding the history, the passages and the question as data. */
export function buildAnswerMessages(
  input: AnswerPromptInput,
  templates: AnswerTemplates = defaultTemplates(),
): ChatMessage[] {
  const values: Record<string, string> = {
    sentinel: ABSTAIN_SENTINEL,
    passageCount: String(input.passages.length),
    history: formatHistory(input.history ?? []),
    passages: input.passages.map(formatPassage).join('\n\n'),
    question: asData(input.question.trim()),
  };
  return [
    { role: 'system', content: fill(templates.system, values) },
    { role: 'user', content: fill(templates.user, values) },
  ];
}

/** One pass, so a placeholder typed inside the data is never expanded. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => values[name] ?? '');
}

function formatPassage(passage: RetrievedPassage, index: number): string {
  const heading =
    passage.section && passage.section !== passage.title
      ? `${passage.title} › ${passage.section}`
      : passage.title;
  return `[${index + 1}] ${asData(heading)}\n${asData(passage.text.trim())}`;
}

/** Earlier answers lose their [n] markers: those numbers pointed to other passages. */
function formatHistory(history: { question: string; answer: string }[]): string {
  return history
    .slice(-MAX_HISTORY_TURNS)
    .map((turn) => {
      const question = truncate(turn.question.trim(), MAX_HISTORY_QUESTION_CHARS);
      const answer = truncate(turn.answer.replace(CITATION_MARKER, '').trim(), MAX_HISTORY_ANSWER_CHARS);
      return `Question : ${asData(question)}\nRéponse : ${asData(answer)}`;
    })
    .join('\n\n');
}

/** Data cannot close or open one of the prompt's blocks. */
function asData(text: string): string {
  return text.replace(BLOCK_TAG, (_match, slash: string, name: string) => `‹${slash}${name}›`);
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1).trimEnd()}…`;
}

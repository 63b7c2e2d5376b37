import { readFileSync } from 'node:fs';
import type { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { asLlmUnavailable } from '../../knowledge/llm/openai-client.ts';
import { DEFAULT_PROMPTS_DIR } from '../../knowledge/llm/prompts.ts';
import type { FieldExtractor, RawReading } from '../core/forms/extraction.ts';
import type { FormDef } from '../core/forms/types.ts';

/**
 * Reads a pasted description into a form's fields with an OpenAI-compatible model, through LangChain's
 * structured output (a JSON schema built from the form, so the reply is typed). The model only copies the
 * text's words per field; the form's own parsers then decide what is valid (core/forms/extraction.ts).
 */

const TEMPLATE_FILE = 'form-extraction.system.md';
/** A description longer than this is cut: the fields of a fiche fit well within it. */
const MAX_TEXT_CHARS = 12_000;

export interface ExtractorConfig {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
}

const reading = z.object({ valeur: z.string(), certain: z.boolean() }).nullable();

function schemaOf(form: FormDef) {
  return z.object(Object.fromEntries(form.fields.map((field) => [field.id, reading])));
}

function systemPrompt(template: string, form: FormDef, today: string): string {
  const fields = form.fields
    .map((field) => `- ${field.id} : ${field.label} — ${field.question} ; exemple : ${field.example}`)
    .join('\n');
  return template.replace('{{form}}', form.title).replace('{{today}}', today).replace('{{fields}}', fields);
}

export function createFieldExtractor(
  config: ExtractorConfig,
  promptsDir = DEFAULT_PROMPTS_DIR,
): FieldExtractor {
  const template = readFileSync(`${promptsDir}/${TEMPLATE_FILE}`, 'utf8').trim();
  // LangChain takes over a second to load: only a person who pastes a description waits for it, not every start.
  let model: Promise<ChatOpenAI> | undefined;
  const loadModel = () =>
    (model ??= import('@langchain/openai').then(
      ({ ChatOpenAI }) =>
        new ChatOpenAI({
          model: config.model,
          apiKey: config.apiKey,
          configuration: { baseURL: config.baseURL },
          timeout: config.timeoutMs,
          maxRetries: 0,
        }),
    ));
  return {
    async extract(form, text, { today }) {
      const structured = (await loadModel()).withStructuredOutput(schemaOf(form), {
        name: form.id,
        method: 'jsonSchema',
        strict: true,
      });
      try {
        const result = await structured.invoke(
          [
            { role: 'system', content: systemPrompt(template, form, today) },
            { role: 'user', content: `<texte>\n${text.slice(0, MAX_TEXT_CHARS)}\n</texte>` },
          ],
          { signal: AbortSignal.timeout(config.timeoutMs) },
        );
        return result as RawReading;
      } catch (error) {
        throw asLlmUnavailable(error, `lecture du texte par le modèle ${config.model}`);
      }
    },
  };
}

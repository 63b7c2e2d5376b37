import type { NativeForms } from './forms/native.ts';
import type { FormSession } from './forms/sessions.ts';
import type { Route, Turn, TurnOutcome } from './routes.ts';

/**
 * A feature (questions, fiches, tableau de bord, digest) is one folder holding its routes, forms and use
 * cases; the composition root hands each feature to the core.
 */
export interface Feature {
  name: string;
  /** Form ids this feature runs: a person with one of them open in the conversation gets it first. */
  forms: Record<string, (turn: Turn, session: FormSession) => Promise<TurnOutcome>>;
  /** Commands and intents, tried after feedback and passages and before the knowledge base. */
  routes: Route[];
  /** Sections of its records edited in the channels' own forms (modal, card, web form), by form id. */
  nativeForms?: Record<string, NativeForms>;
}

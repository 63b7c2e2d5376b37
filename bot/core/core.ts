import type { IncomingMessage, Reply } from './types.ts';

/** Callbacks a channel passes in to show progress while a reply is being prepared. */
export interface TurnIO {
  /** A short status such as "Recherche dans le guide…". */
  onStatus?: (status: string) => void | Promise<void>;
  /** The whole text so far, while an LLM streams the answer. */
  onPartial?: (textSoFar: string) => void;
  /** The e-mail address the platform gives for the sender (Slack users.info, a Teams member), if it can. */
  lookupEmail?: () => Promise<string | undefined>;
}

/** The channel-agnostic core: one normalized message in, one normalized reply out. */
export interface Core {
  handleTurn(incoming: IncomingMessage, io?: TurnIO): Promise<Reply>;
}

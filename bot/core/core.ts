import type { NativeOpenResult, NativeSubmitResult, NativeValues } from './forms/native.ts';
import type { IncomingMessage, Reply } from './types.ts';

/** Who acts in a native form, and where: a message's sender, without its text. */
export type FormSender = Omit<IncomingMessage, 'text' | 'action' | 'attachments'>;

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
  /** A record's section as a native form (the `ref` of a card's edit control, ActionId.EditSection). */
  openForm(sender: FormSender, ref: string, io?: TurnIO): Promise<NativeOpenResult>;
  /** What the person submitted in that form: saved as a new version, or the French messages of refused values. */
  submitForm(sender: FormSender, ref: string, values: NativeValues, io?: TurnIO): Promise<NativeSubmitResult>;
}

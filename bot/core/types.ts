import type { Citation, RetrievedPassage } from '../../knowledge/types.ts';

export type ChannelName = 'slack' | 'teams' | 'web';

/** A button click or card submission, normalized across channels. */
export interface IncomingAction {
  /** Action id, e.g. "feedback", "show_passages". */
  id: string;
  /** Opaque payload set by the renderer (for feedback: the interaction id). */
  value?: string;
  /** For feedback: positive or negative. */
  rating?: 'up' | 'down';
  comment?: string;
}

/** One message from any channel, after the adapter translated it. */
export interface IncomingMessage {
  channel: ChannelName;
  /** Slack team id, Teams tenant id, or "local" for the web chat. */
  workspaceId: string;
  conversationId: string;
  /** Thread the message belongs to (Slack thread_ts, Teams reply chain); undefined at top level. */
  threadId?: string;
  userId: string;
  userName?: string;
  /** Plain text, mentions of the bot removed. Empty when the message is only an action. */
  text: string;
  action?: IncomingAction;
  /** A one-to-one conversation with the assistant. */
  isDirect: boolean;
  /** Channel-specific data needed to message this user later (Teams conversation reference, Slack channel). */
  conversationReference?: unknown;
  /** Request id for logs. */
  requestId?: string;
  /**
   * The person behind the message, when the adapter authenticated them itself (the web chat's signed
   * session). Never set from anything the client sends.
   */
  verifiedPersonId?: string;
  /** Files the person sent with the message (a Word fiche), read on demand. */
  attachments?: IncomingFile[];
}

export interface IncomingFile {
  name: string;
  contentType?: string;
  read(): Promise<Uint8Array>;
}

export interface Choice {
  label: string;
  actionId: string;
  value?: string;
  style?: 'primary' | 'danger';
}

/** A normalized reply, rendered natively by each adapter. */
export interface Reply {
  text: string;
  citations: Citation[];
  /** Passages behind the answer, for "Voir les passages". */
  passages?: RetrievedPassage[];
  choices?: Choice[];
  /** True only when an LLM wrote the text (Teams' "AI generated" label). */
  aiGenerated: boolean;
  /** Id of the stored question/answer, used by feedback buttons. Present on knowledge answers. */
  interactionId?: string;
  /** Show native feedback buttons. */
  feedback: boolean;
  /** Suggested short title for the thread (Slack assistant panel). */
  title?: string;
  /**
   * Which form and field this message asks about, for scripts and tests that follow a conversation without
   * reading French: Slack block_id, Teams channelData, the web's data- attributes.
   */
  form?: FormMarker;
  /** A record shown as a card (a fiche's recap): rendered as Block Kit, an Adaptive Card, or HTML. */
  card?: RecordCard;
  /** Documents made for the person (a fiche in Word, a draft convention): a signed link on every channel. */
  files?: ReplyFile[];
}

export interface ReplyFile {
  fileName: string;
  contentType: string;
  /** The signed, expiring download link; channels that can carry the file itself (Slack) fetch it there. */
  url: string;
  expiresAt: Date;
}

export interface FormMarker {
  formId: string;
  /** The field asked, when the message asks one. */
  fieldId?: string;
  /** What the message is: a question, the recap, a confirmation, or the end of the form. */
  step: 'question' | 'recap' | 'confirm' | 'closed';
  recordId?: string;
}

export interface CardField {
  label: string;
  /** The value in French; empty when not filled yet. */
  value: string;
  /** Required and still empty: shown as « à compléter ». */
  missing?: boolean;
}

export interface CardSection {
  id: string;
  title: string;
  fields: CardField[];
  /** The section's edit control. */
  edit?: Choice;
}

export interface RecordCard {
  title: string;
  /** One line under the title: collectivité, status, version. */
  subtitle?: string;
  sections: CardSection[];
  /** Controls under the card (submit, export…). */
  actions?: Choice[];
}

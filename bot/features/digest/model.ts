/**
 * The weekly progress digest: for each coordinator (and référents who opt in), what moved this week in
 * the collectivités they follow, what is late or due, and what the documents could not answer. Practice,
 * not guide: the guide's rhythms are quarterly bilans, a bilan annuel and a COPIL every two or three
 * months, which the digest reminds of.
 */

/** An ISO week, « 2026-W48 », in the Europe/Paris calendar (Monday to Sunday). */
export type IsoWeek = string;

/** One line of the digest, linked to what it is about. */
export interface DigestItem {
  text: string;
  /** The fiche, task or suivi it names (a page of the web chat for people signed in). */
  url?: string;
}

export interface CollectiviteDigest {
  collectivite: { id: string; name: string };
  fiches: {
    created: DigestItem[];
    changed: DigestItem[];
    submitted: DigestItem[];
    validated: DigestItem[];
    /** Sent back « à revoir » by a coordinator. */
    returned: DigestItem[];
  };
  tasks: {
    done: DigestItem[];
    /** With their owner. */
    late: DigestItem[];
    /** Due within the next 14 days, with their owner. */
    dueSoon: DigestItem[];
  };
  suivis: {
    submitted: DigestItem[];
    /** Expected this quarter and not submitted yet. */
    due: DigestItem[];
    /** Expected for a quarter that has ended. */
    missing: DigestItem[];
    /** The freins the submitted suivis report. */
    freins: DigestItem[];
  };
  /** The next bilan annuel of an action (two months before its anniversary), when within two months. */
  nextBilanAnnuel?: DigestItem & { date: string };
  /** Set when no fiche, task or suivi changed for three weeks: the day of the last change, if any ever. */
  quiet?: { since?: string };
  progress: { done: number; inProgress: number; late: number; todo: number };
}

export interface Digest {
  /** The week reported on: a digest sent on Monday reports on the week that has just ended. */
  week: IsoWeek;
  person: { id: string; name: string };
  /** Coordinators get every collectivité they follow; a référent who opted in, only theirs and what they owe. */
  audience: 'coordinateur' | 'referent';
  /** When it was built: late tasks and due dates are as of this day. */
  generatedAt: Date;
  /** Sent after downtime for a week whose scheduled time had passed. */
  late: boolean;
  /** The days reported on (Monday to Sunday, Paris) and the quarter whose suivis are due (« 2026-T4 »). */
  range: { from: string; to: string };
  quarter: string;
  /** The web page of this digest (for people signed in). */
  url: string;
  /** Signed links to the progress chart (PNG), one per group of up to 25 collectivités. */
  charts: string[];
  collectivites: CollectiviteDigest[];
  /** Across all collectivités, never with the asker's name: a signal to complete the knowledge base. */
  knowledge: {
    unanswered: string[];
    downvoted: { question: string; answer: string }[];
  };
}

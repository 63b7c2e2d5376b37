export { LocalEmbedder } from './embeddings/local-embedder.ts';
export { IndexMissingError } from './index-store.ts';
export { citationOf, openKnowledgeBase } from './knowledge-base.ts';
export type * from './types.ts';

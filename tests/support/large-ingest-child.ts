import { ingest } from '../../ingest/ingest.ts';
import { LocalEmbedder, openKnowledgeBase } from '../../knowledge/index.ts';
import { PLANTED } from './large-source.ts';

/**
 * Run by measureLargeIngest in a process of its own: `tsx large-ingest-child.ts SOURCES_DIR INDEX_DIR`.
 * Prints one JSON line: passages, ingest time, peak memory of the ingest, rank of the planted fact.
 */
const [sourcesDir, indexDir] = process.argv.slice(2);
const embedder = new LocalEmbedder();
const started = performance.now();
const result = await ingest({ sourcesDir: sourcesDir!, indexDir: indexDir!, embedder });
const ingestMs = performance.now() - started;
// Read before the index is opened, so that this is the ingest's peak.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const knowledge = await openKnowledgeBase({ indexDir: indexDir!, embedder });
const sources = await knowledge.retrieve(PLANTED.question, 5);
const rank = sources.findIndex((passage) => passage.text.includes(PLANTED.mark));
process.stdout.write(
  `${JSON.stringify({ passages: result.passages, ingestMs, peakRssMb, ...(rank >= 0 ? { factRank: rank + 1 } : {}) })}\n`,
);

import type { Express } from 'express';
import type { KnowledgeBase } from '../knowledge/types.ts';
import { renderNotFoundPage, renderSourcePage } from './viewer/source-page.ts';

/** GET /sources/:document?passage=<id>#<anchor>: the document with the cited passage highlighted. */
export function mountSourcesViewer(app: Express, knowledge: KnowledgeBase): void {
  app.get('/sources/:document', (req, res) => {
    const documentId = String(req.params.document);
    const passage = typeof req.query.passage === 'string' ? req.query.passage : undefined;
    const content = knowledge.documentContent(documentId);
    res.type('html');
    if (!content) {
      res.status(404).send(renderNotFoundPage(documentId));
      return;
    }
    res.send(renderSourcePage(content, passage));
  });
}

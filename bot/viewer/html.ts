const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

/** The HTML shell shared by the server-rendered pages: French, phone-sized, one stylesheet. */
export function htmlPage(page: { title: string; body: string; script?: string }): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
${page.body}
${page.script ? `<script src="${escapeHtml(page.script)}" defer></script>` : ''}
</body>
</html>
`;
}

/** Escaping and the page frame shared by the storefront's pages. */

export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function layout(title: string, body: string, pageData: Record<string, unknown>): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Waveform Supply</title>
<link rel="stylesheet" href="/static/styles.css">
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M0 8h3l2-6 3 12 3-9 2 3h3' fill='none' stroke='%237c5cff' stroke-width='2'/%3E%3C/svg%3E">
</head>
<body>
<header class="top">
  <a class="brand" href="/"><svg viewBox="0 0 32 16" aria-hidden="true"><path d="M0 8h6l3-7 5 14 4-10 3 5h11"/></svg>Waveform Supply</a>
  <nav><a href="/">Shop</a><a href="/dashboard">Live dashboard ↗</a></nav>
  <div class="cart" title="Cart">Cart <span id="cart-count">0</span></div>
</header>
<main>${body}</main>
<div id="toast" role="status" aria-live="polite"></div>
<footer>An event-driven microservices demo on Spaceport: every view and click is an event on Kafka.</footer>
<script>window.EDM_PAGE = ${JSON.stringify(pageData).replace(/</g, '\\u003c')};</script>
<script src="/static/app.js" defer></script>
</body>
</html>`;
}

/** The dashboard's page: a static frame the browser code fills in; charts are hand-written SVG (no chart library, no CDN). */

export function dashboardPage(initialStats: unknown): string {
  const boot = JSON.stringify({ stats: initialStats ?? null }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Live · EDM dashboard</title>
<link rel="stylesheet" href="/dashboard/styles.css">
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M0 8h3l2-6 3 12 3-9 2 3h3' fill='none' stroke='%2322d3ee' stroke-width='2'/%3E%3C/svg%3E">
</head>
<body>
<header class="top">
  <div class="brand"><svg viewBox="0 0 32 16" aria-hidden="true"><path d="M0 8h6l3-7 5 14 4-10 3 5h11"/></svg>Waveform Supply <span>Live operations</span></div>
  <nav><a href="/">Storefront ↗</a></nav>
  <div id="status" class="status connecting"><i></i><span>Connecting…</span></div>
</header>
<main>
  <section class="kpis">
    <div class="kpi"><label>Clicks</label><b id="k-click">–</b><small>all time, from edm-stats</small></div>
    <div class="kpi"><label>Page loads</label><b id="k-pageload">–</b><small>all time, from edm-stats</small></div>
    <div class="kpi"><label>Events / s</label><b id="k-rate">0</b><small id="k-rate-peak">live, from edm-stream</small></div>
    <div class="kpi"><label>Click → dashboard</label><b id="k-latency">–</b><small id="k-latency-99">p50 · p99 over the last 1,000 events</small></div>
    <div class="kpi"><label>Events streamed</label><b id="k-received">0</b><small id="k-since">since this page opened</small></div>
  </section>
  <section class="row two">
    <div class="panel"><h2>Events per second <em>last 2 minutes · live</em></h2><div id="rate-chart" class="chart"></div>
      <div class="legend"><span class="click">click</span><span class="pageload">pageload</span></div></div>
    <div class="panel"><h2>Top products <em>all time</em></h2><div id="top-products" class="bars"></div></div>
  </section>
  <section class="row two">
    <div class="panel"><h2>Events per minute <em>last hour · edm-stats in Postgres</em></h2><div id="minute-chart" class="chart"></div>
      <div class="legend"><span class="click">click</span><span class="pageload">pageload</span></div></div>
    <div class="panel feed-panel"><h2>Live feed <em id="feed-count"></em></h2><ol id="feed" class="feed"></ol></div>
  </section>
  <section class="panel pipeline">
    <h2>Pipeline</h2>
    <div class="flow" id="flow">
      <div class="node"><b>edm-ui</b><span>storefront</span></div><i></i>
      <div class="node"><b>gateway</b><span>/api/events · cors · rate-limiting · size-limit</span></div><i></i>
      <div class="node"><b>edm-relay</b><span>validates · acks -1</span></div><i></i>
      <div class="node kafka"><b>Kafka</b><span>edm-ui-click · edm-ui-pageload · 3 partitions each</span></div><i></i>
      <div class="node split"><div><b>edm-stream</b><span>Socket.io → this page</span></div><div><b>edm-stats</b><span id="stats-dynos">exactly-once → Postgres</span></div></div>
    </div>
  </section>
</main>
<script>window.EDM_BOOT = ${boot};</script>
<script src="/socket.io/socket.io.js"></script>
<script src="/dashboard/charts.js"></script>
<script src="/dashboard/app.js"></script>
</body>
</html>`;
}

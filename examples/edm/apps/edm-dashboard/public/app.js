// Dashboard browser code: history from GET /api/stats (edm-stats), live events from Socket.io (edm-stream).
(() => {
  const C = window.EdmCharts;
  const SECONDS = 120;
  const FEED_ROWS = 40;
  const FEED_BATCH = 12; // rows added per redraw at most
  const $ = (id) => document.getElementById(id);
  // State the page exposes for tests and the benchmark: what arrived, and how long each event took to get here.
  const state = (window.edmDashboard = { received: 0, latencies: [], connected: false, transport: null, stats: null, openedAt: Date.now() });
  // Per-hop stamps of traced events (the benchmark's), and how long this page's own work takes: [session, at,
  // ...server stamps, received]; durations of handling a Socket.io frame, of a feed redraw, and of long tasks (ms).
  state.traces = [];
  // [session, ms from `at` to the redraw that put the event in the feed] for events the feed shows (the last few of
  // each redraw): what a person watching the feed sees, on top of when the frame arrived.
  state.shown = [];
  state.perf = { frames: [], renders: [], ticks: [], longTasks: [] };
  if (typeof PerformanceObserver === 'function' && (PerformanceObserver.supportedEntryTypes || []).includes('longtask')) {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (state.perf.longTasks.length < 10000) state.perf.longTasks.push(Math.round(e.duration));
    }).observe({ entryTypes: ['longtask'] });
  }
  const timed = (into, fn) => (...args) => {
    const t0 = performance.now();
    try {
      return fn(...args);
    } finally {
      if (into.length < 100000) into.push(performance.now() - t0);
    }
  };
  const recent = []; // latencies of the last 1,000 events, for the KPI
  const perSecond = new Map(); // epoch second → { click, pageload }
  let names = {};
  let feedQueue = [];
  let peak = 0;

  fetch('/products.json')
    .then((r) => (r.ok ? r.json() : []))
    .then((list) => {
      names = Object.fromEntries(list.map((p) => [p.id, p.name]));
      if (state.stats) renderStats(state.stats);
    })
    .catch(() => {});

  // ---- live stream -------------------------------------------------------------------------------------------
  const status = $('status');
  function setStatus(kind, text) {
    status.className = `status ${kind}`;
    status.querySelector('span').textContent = text;
  }
  if (typeof window.io !== 'function') {
    setStatus('down', 'Stream unavailable (edm-stream not reachable)');
  } else {
    const socket = window.io({ path: '/socket.io', transports: ['websocket', 'polling'], tryAllTransports: true });
    socket.on('connect', () => {
      state.connected = true;
      state.transport = socket.io.engine.transport.name;
      setStatus('live', `Live · ${state.transport}`);
    });
    socket.on('disconnect', () => {
      state.connected = false;
      setStatus('connecting', 'Reconnecting…');
    });
    socket.on('connect_error', () => setStatus('connecting', 'Connecting to the stream…'));
    socket.on('events', timed(state.perf.frames, onEvents));
  }

  function onEvents(batch) {
    const now = Date.now();
    const sec = Math.floor(now / 1000);
    let bucket = perSecond.get(sec);
    if (!bucket) perSecond.set(sec, (bucket = { click: 0, pageload: 0 }));
    for (const e of batch) {
      state.received++;
      bucket[e.type === 'pageload' ? 'pageload' : 'click']++;
      if (typeof e.at === 'number') {
        const ms = Math.max(0, now - e.at);
        if (state.latencies.length < 300000) state.latencies.push(ms);
        recent.push(ms);
      }
      if (e.trace && state.traces.length < 300000) state.traces.push([e.session || '', e.at, ...e.trace, now]);
    }
    if (recent.length > 1000) recent.splice(0, recent.length - 1000);
    feedQueue = feedQueue.concat(batch.slice(-FEED_BATCH)).slice(-FEED_BATCH);
    scheduleFeed();
  }

  // The feed redraws at most every 150 ms: at a thousand events a second a person sees a stream either way, and
  // the browser's CPU goes to receiving events rather than to layout.
  let feedScheduled = false;
  function scheduleFeed() {
    if (feedScheduled) return;
    feedScheduled = true;
    setTimeout(() => {
      feedScheduled = false;
      timedRender();
    }, 150);
  }

  // Rows are recycled: the oldest row is refilled and moved to the top, so a redraw creates no elements, parses no
  // HTML and formats times by hand; at 1,000 events a second the page's main thread stays free for the stream.
  const feed = $('feed');
  const timedRender = timed(state.perf.renders, () => renderFeed());
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  function makeRow() {
    const li = document.createElement('li');
    li.innerHTML = '<time></time><span class="badge"></span><span class="name"></span><span class="meta"></span><span class="lat"></span>';
    return li;
  }
  function setData(li, key, value) {
    if (value) li.dataset[key] = value;
    else delete li.dataset[key];
  }
  function fillRow(li, e, now) {
    li.dataset.type = e.type;
    li.dataset.product = e.product;
    setData(li, 'session', e.session);
    setData(li, 'id', e.id);
    const [time, badge, name, meta, lat] = li.children;
    const t = new Date(e.at || now);
    time.textContent = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${pad(t.getMilliseconds(), 3)}`;
    badge.className = `badge ${e.type}`;
    badge.textContent = e.type;
    name.textContent = names[e.product] || e.product;
    meta.textContent = e.session || '';
    lat.textContent = typeof e.at === 'number' ? `${Math.max(0, now - e.at)} ms` : '';
  }
  function renderFeed() {
    const items = feedQueue;
    feedQueue = [];
    const now = Date.now();
    // Oldest first, each onto the top: the newest ends up first.
    for (const e of items) {
      if (typeof e.at === 'number' && state.shown.length < 300000) state.shown.push([e.session || '', now - e.at]);
      const li = feed.children.length >= FEED_ROWS ? feed.lastElementChild : makeRow();
      fillRow(li, e, now);
      feed.insertBefore(li, feed.firstChild);
    }
    $('feed-count').textContent = `${state.received.toLocaleString()} events streamed`;
  }

  // ---- once a second: the rate chart and the live KPIs ----------------------------------------------------------
  function percentile(sorted, p) {
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  }
  function tick() {
    const nowSec = Math.floor(Date.now() / 1000);
    const click = [];
    const pageload = [];
    for (let s = nowSec - SECONDS + 1; s <= nowSec; s++) {
      const b = perSecond.get(s);
      click.push(b ? b.click : 0);
      pageload.push(b ? b.pageload : 0);
    }
    for (const s of perSecond.keys()) if (s < nowSec - SECONDS) perSecond.delete(s);
    C.areaChart($('rate-chart'), { click, pageload }, SECONDS);
    const last = click[SECONDS - 2] + pageload[SECONDS - 2]; // the last full second
    peak = Math.max(peak, last);
    $('k-rate').textContent = C.fmt(last);
    $('k-rate-peak').textContent = `peak ${C.fmt(peak)}/s since this page opened`;
    const sorted = recent.slice().sort((a, b) => a - b);
    if (sorted.length) {
      $('k-latency').innerHTML = `${percentile(sorted, 50)}<u>ms</u> · ${percentile(sorted, 99)}<u>ms</u>`;
    }
    $('k-received').textContent = state.received.toLocaleString();
    const mins = Math.floor((Date.now() - state.openedAt) / 60000);
    $('k-since').textContent = mins < 1 ? 'since this page opened' : `in the last ${mins} min`;
  }

  // ---- every 2 s: the history from edm-stats ---------------------------------------------------------------------
  function renderStats(s) {
    state.stats = s;
    $('k-click').textContent = s.totals.click.toLocaleString();
    $('k-pageload').textContent = s.totals.pageload.toLocaleString();
    C.topProducts($('top-products'), s.products, names);
    C.minuteChart($('minute-chart'), s.minutes);
    if (s.served_by) $('stats-dynos').textContent = `exactly-once → Postgres · answered by ${s.served_by}`;
  }
  async function refreshStats() {
    try {
      const r = await fetch('/api/stats', { cache: 'no-store' });
      if (r.ok) renderStats(await r.json());
    } catch {
      /* the next refresh tries again */
    }
  }

  if (window.EDM_BOOT && window.EDM_BOOT.stats) renderStats(window.EDM_BOOT.stats);
  tick();
  setInterval(timed(state.perf.ticks, tick), 1000);
  void refreshStats();
  setInterval(refreshStats, 2000);
  window.addEventListener('resize', () => {
    tick();
    if (state.stats) renderStats(state.stats);
  });
})();

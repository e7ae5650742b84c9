// Hand-written SVG charts for the dashboard: a live area chart, stacked minute bars and ranked bars. No library.
(() => {
  const NS = 'http://www.w3.org/2000/svg';
  const COLORS = { click: '#7c5cff', pageload: '#22d3ee' };

  /** A "nice" axis maximum and step for a value range, so gridlines land on round numbers. */
  function niceScale(max, ticks = 4) {
    if (!(max > 0)) return { max: ticks, step: 1 };
    const raw = max / ticks;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
    return { max: step * Math.ceil(max / step), step };
  }

  const fmt = (n) => (n >= 10000 ? `${(n / 1000).toFixed(n >= 100000 ? 0 : 1)}k` : Number.isInteger(n) ? String(n) : n.toFixed(1));

  function frame(el) {
    const w = Math.max(320, el.clientWidth || 600);
    const h = Math.max(160, el.clientHeight || 220);
    return { w, h, pad: { l: 44, r: 12, t: 12, b: 26 } };
  }

  function grid(f, scale) {
    let out = '';
    for (let v = 0; v <= scale.max + 1e-9; v += scale.step) {
      const y = f.pad.t + (f.h - f.pad.t - f.pad.b) * (1 - v / scale.max);
      out += `<line x1="${f.pad.l}" x2="${f.w - f.pad.r}" y1="${y}" y2="${y}" class="grid"/>`;
      out += `<text x="${f.pad.l - 8}" y="${y + 4}" class="axis" text-anchor="end">${fmt(v)}</text>`;
    }
    return out;
  }

  /** series: { click: number[], pageload: number[] } per second, oldest first; the last value is "now". */
  function areaChart(el, series, seconds) {
    const f = frame(el);
    const all = series.click.map((c, i) => c + series.pageload[i]);
    const scale = niceScale(Math.max(1, ...all));
    const iw = f.w - f.pad.l - f.pad.r;
    const ih = f.h - f.pad.t - f.pad.b;
    const x = (i) => f.pad.l + (iw * i) / (seconds - 1);
    const y = (v) => f.pad.t + ih * (1 - v / scale.max);
    const path = (vals) => vals.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    // Stacked: pageload on the bottom, clicks on top of it.
    const base = series.pageload;
    const top = all;
    const area = (upper, lower) => `${path(upper)}L${x(seconds - 1)},${y(lower[seconds - 1])}${lower.map((v, i) => [i, v]).reverse().map(([i, v]) => `L${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('')}Z`;
    const zeros = base.map(() => 0);
    let labels = '';
    for (let s = 0; s < seconds; s += 30) {
      const i = seconds - 1 - s;
      labels += `<text x="${x(i)}" y="${f.h - 6}" class="axis" text-anchor="${s === 0 ? 'end' : 'middle'}">${s === 0 ? 'now' : `-${s}s`}</text>`;
    }
    el.innerHTML = `<svg xmlns="${NS}" viewBox="0 0 ${f.w} ${f.h}" width="${f.w}" height="${f.h}">
<defs>
  <linearGradient id="fill-click" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${COLORS.click}" stop-opacity=".55"/><stop offset="1" stop-color="${COLORS.click}" stop-opacity=".08"/></linearGradient>
  <linearGradient id="fill-pageload" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${COLORS.pageload}" stop-opacity=".5"/><stop offset="1" stop-color="${COLORS.pageload}" stop-opacity=".06"/></linearGradient>
</defs>
${grid(f, scale)}
<path d="${area(base, zeros)}" fill="url(#fill-pageload)"/>
<path d="${area(top, base)}" fill="url(#fill-click)"/>
<path d="${path(base)}" fill="none" stroke="${COLORS.pageload}" stroke-width="1.6"/>
<path d="${path(top)}" fill="none" stroke="${COLORS.click}" stroke-width="2"/>
<circle cx="${x(seconds - 1)}" cy="${y(top[seconds - 1])}" r="3.5" fill="${COLORS.click}"/>
${labels}
</svg>`;
  }

  /** minutes: [{ minute: ISO, click, pageload }] oldest first (60 of them). */
  function minuteChart(el, minutes) {
    const f = frame(el);
    const scale = niceScale(Math.max(1, ...minutes.map((m) => m.click + m.pageload)));
    const iw = f.w - f.pad.l - f.pad.r;
    const ih = f.h - f.pad.t - f.pad.b;
    const bw = iw / Math.max(1, minutes.length);
    const y = (v) => f.pad.t + ih * (1 - v / scale.max);
    let bars = '';
    let labels = '';
    minutes.forEach((m, i) => {
      const x0 = f.pad.l + i * bw + 1;
      const w = Math.max(1, bw - 2);
      const yp = y(m.pageload);
      const yc = y(m.pageload + m.click);
      const title = `<title>${new Date(m.minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${m.click} clicks, ${m.pageload} page loads</title>`;
      if (m.pageload > 0) bars += `<rect x="${x0}" y="${yp}" width="${w}" height="${f.h - f.pad.b - yp}" fill="${COLORS.pageload}" rx="1.5">${title}</rect>`;
      if (m.click > 0) bars += `<rect x="${x0}" y="${yc}" width="${w}" height="${yp - yc}" fill="${COLORS.click}" rx="1.5">${title}</rect>`;
      if (i % 10 === 0 || i === minutes.length - 1) {
        const t = new Date(m.minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
        labels += `<text x="${x0 + w / 2}" y="${f.h - 6}" class="axis" text-anchor="middle">${t}</text>`;
      }
    });
    el.innerHTML = `<svg xmlns="${NS}" viewBox="0 0 ${f.w} ${f.h}" width="${f.w}" height="${f.h}">${grid(f, scale)}${bars}${labels}</svg>`;
  }

  /** products: [{ product, click, pageload }], names: id → name. */
  function topProducts(el, products, names, limit = 8) {
    const top = products.slice(0, limit);
    const max = Math.max(1, ...top.map((p) => p.click + p.pageload));
    if (top.length === 0) {
      el.innerHTML = '<p class="empty">No events yet: open the storefront and click around.</p>';
      return;
    }
    el.innerHTML = top
      .map((p, i) => {
        const total = p.click + p.pageload;
        const name = names[p.product] || p.product;
        return `<div class="bar-row"><span class="rank">${i + 1}</span><div class="bar-main"><div class="bar-label"><span>${escapeHtml(name)}</span><b>${fmt(total)}</b></div>
<div class="bar-track"><div class="bar click" style="width:${(100 * p.click) / max}%"></div><div class="bar pageload" style="width:${(100 * p.pageload) / max}%"></div></div></div></div>`;
      })
      .join('');
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  window.EdmCharts = { areaChart, minuteChart, topProducts, niceScale, escapeHtml, fmt };
})();

// Storefront browser code: every product view and click becomes an event, sent to the relay through the gateway.
(() => {
  const page = window.EDM_PAGE || {};
  const session = sessionStorage.getItem('edm-session') || `s-${Math.random().toString(36).slice(2, 10)}`;
  sessionStorage.setItem('edm-session', session);
  // Counters for tests and the curious: how many events the relay acknowledged (202) or refused.
  const sent = (window.edmSent = { acked: 0, failed: 0, lastError: null });

  const toastEl = document.getElementById('toast');
  let toastTimer = 0;
  function toast(text, bad) {
    toastEl.textContent = text;
    toastEl.className = bad ? 'show bad' : 'show';
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (toastEl.className = ''), 2200);
  }

  async function send(type, product, quiet) {
    const started = performance.now();
    try {
      const res = await fetch('/api/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type, product, at: Date.now(), session }),
        keepalive: true,
      });
      if (res.status !== 202) {
        const body = await res.json().catch(() => ({}));
        throw new Error(body.message || `HTTP ${res.status}`);
      }
      sent.acked++;
      if (!quiet) toast(`${type} event for ${product} stored in Kafka (${Math.round(performance.now() - started)} ms)`);
    } catch (e) {
      sent.failed++;
      sent.lastError = String(e.message || e);
      toast(`Event not sent: ${sent.lastError}`, true);
    }
  }

  const cartEl = document.getElementById('cart-count');
  const cart = () => Number(localStorage.getItem('edm-cart') || 0);
  cartEl.textContent = String(cart());

  document.addEventListener('click', (ev) => {
    const el = ev.target.closest('[data-action]');
    if (!el) return;
    const product = el.dataset.product;
    if (el.dataset.action === 'cart') {
      localStorage.setItem('edm-cart', String(cart() + 1));
      cartEl.textContent = String(cart());
      cartEl.parentElement.classList.remove('bump');
      void cartEl.parentElement.offsetWidth;
      cartEl.parentElement.classList.add('bump');
      void send('click', product);
    } else if (el.dataset.action === 'view') {
      // The navigation goes on; keepalive lets the request outlive this page.
      void send('click', product, true);
    }
  });

  if (page.page === 'product' && page.product) void send('pageload', page.product, true);
})();

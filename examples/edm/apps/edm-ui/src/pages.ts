/** The storefront's pages: the product grid with pages, and one page per product. Server-rendered HTML. */
import { PAGES, PRODUCTS, page, type Product } from './catalog.js';
import { esc, layout } from './html.js';

const GLYPHS: Record<Product['category'], string> = {
  Synths: '<rect x="14" y="40" width="92" height="34" rx="4"/><path d="M22 40v22M34 40v22M46 40v22M58 40v22M70 40v22M82 40v22M94 40v22"/><circle cx="30" cy="28" r="6"/><circle cx="52" cy="28" r="6"/><circle cx="74" cy="28" r="6"/>',
  'Drum machines': '<rect x="16" y="18" width="88" height="62" rx="6"/><g>' +
    [0, 1, 2, 3].map((r) => [0, 1, 2, 3].map((c) => `<rect x="${26 + c * 19}" y="${26 + r * 13}" width="13" height="9" rx="2"/>`).join('')).join('') + '</g>',
  Controllers: '<rect x="14" y="22" width="92" height="56" rx="6"/><path d="M30 34v32M48 34v32M66 34v32M84 34v32"/><rect x="25" y="44" width="10" height="6"/><rect x="43" y="36" width="10" height="6"/><rect x="61" y="54" width="10" height="6"/><rect x="79" y="40" width="10" height="6"/>',
  Headphones: '<path d="M26 62V50a34 34 0 0 1 68 0v12"/><rect x="18" y="58" width="16" height="24" rx="5"/><rect x="86" y="58" width="16" height="24" rx="5"/>',
  Effects: '<rect x="30" y="14" width="60" height="72" rx="8"/><circle cx="60" cy="36" r="11"/><circle cx="60" cy="70" r="6"/>',
  Monitors: '<rect x="34" y="12" width="52" height="76" rx="6"/><circle cx="60" cy="62" r="16"/><circle cx="60" cy="30" r="7"/>',
};

export function artwork(p: Product, big = false): string {
  const [a, b] = p.hue;
  return `<svg class="art${big ? ' big' : ''}" viewBox="0 0 120 96" role="img" aria-label="${esc(p.name)}">
<defs><linearGradient id="g-${p.id}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${a} 80% 62%)"/><stop offset="1" stop-color="hsl(${b} 75% 42%)"/></linearGradient></defs>
<rect width="120" height="96" fill="url(#g-${p.id})"/><g fill="none" stroke="rgba(255,255,255,.85)" stroke-width="3" stroke-linejoin="round">${GLYPHS[p.category]}</g></svg>`;
}

const price = (n: number) => `$${n.toLocaleString('en-US')}`;

function card(p: Product): string {
  return `<article class="card" data-product="${p.id}">
  <a href="/products/${p.id}" class="art-link" data-action="view" data-product="${p.id}">${artwork(p)}</a>
  <div class="card-body">
    <div class="cat">${esc(p.category)}</div>
    <h2>${esc(p.name)}</h2>
    <p>${esc(p.blurb)}</p>
    <div class="row"><span class="price">${price(p.price)}</span>
      <span class="actions"><a class="btn ghost" href="/products/${p.id}" data-action="view" data-product="${p.id}">View</a>
      <button class="btn" data-action="cart" data-product="${p.id}">Add to cart</button></span></div>
  </div>
</article>`;
}

export function gridPage(n: number): string {
  const { page: current, products } = page(n);
  const links = Array.from({ length: PAGES }, (_, i) => i + 1)
    .map((i) => (i === current ? `<span class="current">${i}</span>` : `<a href="/?page=${i}" data-page="${i}">${i}</a>`))
    .join('');
  const prev = current > 1 ? `<a href="/?page=${current - 1}" rel="prev">← Prev</a>` : '<span class="off">← Prev</span>';
  const next = current < PAGES ? `<a href="/?page=${current + 1}" rel="next">Next →</a>` : '<span class="off">Next →</span>';
  const body = `<section class="hero"><h1>Gear for the drop.</h1><p>${PRODUCTS.length} instruments, monitors and effects. Every view and every click you make here streams to the <a href="/dashboard">live dashboard</a>.</p></section>
<section class="grid">${products.map(card).join('')}</section>
<nav class="pager" aria-label="Pages">${prev}${links}${next}</nav>`;
  return layout(current === 1 ? 'Shop' : `Shop, page ${current}`, body, { page: 'grid', pageNumber: current });
}

export function productPage(p: Product): string {
  const body = `<nav class="crumbs"><a href="/">Shop</a> / ${esc(p.category)} / ${esc(p.name)}</nav>
<section class="detail" data-product="${p.id}">
  ${artwork(p, true)}
  <div>
    <div class="cat">${esc(p.category)}</div>
    <h1>${esc(p.name)}</h1>
    <p class="lead">${esc(p.blurb)}</p>
    <p class="price big">${price(p.price)}</p>
    <button class="btn big" data-action="cart" data-product="${p.id}">Add to cart</button>
    <p class="note">Product id <code>${p.id}</code> · loading this page sent a <code>pageload</code> event.</p>
  </div>
</section>`;
  return layout(p.name, body, { page: 'product', product: p.id });
}

export function notFoundPage(what: string): string {
  return layout('Not found', `<section class="hero"><h1>Nothing here.</h1><p>${esc(what)} <a href="/">Back to the shop</a>.</p></section>`, { page: 'none' });
}

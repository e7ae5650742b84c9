/** The storefront's catalog: a small synth shop. Product ids are what events carry; the dashboard reads names from /products.json. */

export interface Product {
  id: string;
  name: string;
  category: 'Synths' | 'Drum machines' | 'Controllers' | 'Headphones' | 'Effects' | 'Monitors';
  price: number;
  /** Two colours of the card's artwork. */
  hue: [number, number];
  blurb: string;
}

const raw: [string, Product['category'], number, string][] = [
  ['Nebula Poly-8', 'Synths', 1299, 'Eight-voice analog polysynth with a warm ladder filter.'],
  ['Pulse Mono', 'Synths', 449, 'A bass monster: one oscillator, no mercy.'],
  ['Aurora Wavetable', 'Synths', 899, 'Morph between 128 wavetables in real time.'],
  ['Tiny FM', 'Synths', 199, 'Pocket FM synthesis with four operators.'],
  ['Grid-909', 'Drum machines', 699, 'Sixteen steps, eleven voices, endless Friday nights.'],
  ['Boom Box 808', 'Drum machines', 549, 'Deep kicks and that cowbell.'],
  ['Sample Forge', 'Drum machines', 799, 'Chop, pitch and sequence your own samples.'],
  ['Beat Cube', 'Drum machines', 149, 'A sequencer you can hold in one hand.'],
  ['Pad Commander 16', 'Controllers', 229, 'Sixteen velocity pads with RGB feedback.'],
  ['Keys 49', 'Controllers', 189, 'Forty-nine semi-weighted keys, aftertouch.'],
  ['Fader Bank', 'Controllers', 259, 'Nine motorised faders for your DAW.'],
  ['Knob Grid', 'Controllers', 169, 'Sixteen endless encoders, rings of light.'],
  ['Studio One Cans', 'Headphones', 179, 'Closed-back, flat response, all-day comfort.'],
  ['Club Pro DJ', 'Headphones', 249, 'Swivel cups and a coiled cable for the booth.'],
  ['Open Air 600', 'Headphones', 329, 'Open-back for long mixing sessions.'],
  ['Bass Buds', 'Headphones', 99, 'In-ears that still feel the sub.'],
  ['Space Echo', 'Effects', 379, 'Tape-style delay with a spring reverb.'],
  ['Shimmer Verb', 'Effects', 299, 'Reverb that shines an octave up.'],
  ['Crush Box', 'Effects', 129, 'Bit crusher and sample-rate reducer.'],
  ['Sidechain Pump', 'Effects', 89, 'The ducking every drop needs.'],
  ['Monitor 5', 'Monitors', 399, 'A pair of five-inch near-field monitors.'],
  ['Monitor 8', 'Monitors', 649, 'A pair of eight-inch monitors that go low.'],
  ['Sub 10', 'Monitors', 499, 'A ten-inch subwoofer for the last octave.'],
  ['Desk Cubes', 'Monitors', 149, 'Small, honest mix checkers.'],
];

export const PRODUCTS: readonly Product[] = raw.map(([name, category, price, blurb], i) => ({
  id: `p-${String(i + 1).padStart(3, '0')}`,
  name,
  category,
  price,
  hue: [(i * 47) % 360, (i * 47 + 70) % 360],
  blurb,
}));

export const PAGE_SIZE = 8;
export const PAGES = Math.ceil(PRODUCTS.length / PAGE_SIZE);

export function productById(id: string): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}

/** Products of a 1-based page; out-of-range pages are clamped, so a hand-typed URL still shows something. */
export function page(n: number): { page: number; products: readonly Product[] } {
  const p = Math.min(Math.max(1, Math.trunc(Number.isFinite(n) ? n : 1)), PAGES);
  return { page: p, products: PRODUCTS.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE) };
}

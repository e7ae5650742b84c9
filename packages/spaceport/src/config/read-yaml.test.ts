import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readConfigText, readPositioned } from './read-yaml.js';
import { positionOf } from './document.js';

const env = { SP_A: 'one', SP_KEY: 'k' };
const both = (text: string) => [readConfigText(text, 'f.yaml', env), readPositioned(text, 'f.yaml', env)] as const;

test('the fast read gives the same data as the positioned one: scalars of the core schema, anchors, ${VAR} in keys and values', () => {
  const text = [
    'ints: [0755, 0o17, 0x1F, +1, -0, 12345678901234567890]',
    'floats: [.5, 1e3, 1.0, .inf, -.Inf, .NaN]',
    'strings: [1_000, 0b101, 1:20, 2026-01-01, yes, on, "x\\ty", \'it\'\'s\']',
    'nulls: [~, null, Null, NULL, ""]',
    'bools: [true, True, FALSE]',
    'block: |',
    '  line 1',
    '  line 2',
    'folded: >-',
    '  a',
    '  b',
    'base: &base { x: 1, y: [a, b] }',
    'copy: *base',
    'merge: { <<: 1 }',
    'env: { "${SP_KEY}-x": "${SP_A}/$${HOME}", plain: "a${b" }',
    '1: numeric key',
    'true: bool key',
  ].join('\n');
  const [fast, slow] = both(text);
  assert.equal(fast.via, 'fast');
  assert.equal(slow.via, 'positioned');
  assert.deepEqual(fast.diagnostics, []);
  assert.deepEqual(fast.raw, slow.raw);
  assert.deepEqual((fast.raw as { env: unknown }).env, { 'k-x': 'one/${HOME}', plain: 'a${b' });
});

test('files the fast read cannot take exactly are read the positioned way, with yaml errors and positions', () => {
  const cases: [string, RegExp | undefined][] = [
    ['a: 1\nb: 2\na: 3\n', /Map keys must be unique/], // duplicate key: an error at 3:1
    ['a: [1,\n2]\n', /indent|flow/i], // a syntax error
    ['%YAML 1.1\n---\na: yes\n', undefined], // a directive: `yes` is a boolean in YAML 1.1
    ['a: !custom x\n', undefined], // a tag: yaml warns
    ['~: a\nb: { null: 1 }\n', undefined], // null keys: "" in yaml, "null" in js-yaml
    ['a: ${SP_UNSET}\n', /SP_UNSET is not set/], // an unset variable: the error needs its position
    ['a: *nowhere\n', /Unresolved alias/], // no anchor: a diagnostic, not a throw
    ['', undefined], // empty: {}
  ];
  for (const [text, error] of cases) {
    const r = readConfigText(text, 'f.yaml', env);
    assert.equal(r.via, 'positioned', text);
    const slow = readPositioned(text, 'f.yaml', env);
    assert.deepEqual([r.raw, r.diagnostics], [slow.raw, slow.diagnostics], text);
    if (error) assert.match(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'), error, text);
    else assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], text);
  }
  assert.deepEqual(readConfigText('a: 1\nb: 2\na: 3\n', 'f.yaml', env).diagnostics.map((d) => [d.line, d.column]), [[3, 1]]);
  assert.deepEqual(readConfigText('a: *nowhere\n', 'f.yaml', env).diagnostics.map((d) => [d.line, d.column]), [[1, 4]]);
  assert.deepEqual(readConfigText('%YAML 1.1\n---\na: yes\n', 'f.yaml', env).raw, { a: true });
  assert.deepEqual(readConfigText('', 'f.yaml', env).raw, {});
});

test('positions after a fast read: built on demand, at the interpolated key too', () => {
  const r = readConfigText('name: x\napps:\n  "${SP_KEY}":\n    scale: { web: 2 }\n', 'f.yaml', env);
  assert.equal(r.via, 'fast');
  assert.deepEqual(positionOf(r.parsed, ['apps', 'k', 'scale', 'web']), { file: 'f.yaml', line: 4, column: 19 });
});

test('mutated configs: whatever the fast read accepts, the positioned read reads the same, without a diagnostic', () => {
  // A fixed-seed fuzz over the example systems' files: deletions, inserted YAML punctuation, moved slices.
  const files = ['edm', 'hello', 'wasabi'].map((n) => readFileSync(new URL(`../../../../examples/${n}/spaceport.yaml`, import.meta.url), 'utf8'));
  const bits = [' ', '\n', ':', ': ', '- ', '-', '[', ']', '{', '}', ',', '#', '"', "'", '&', '*', '!', '?', '|', '>', '\t', 'a', '0', '%', '~', 'null', '\n  ', '\\'];
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 8) % n;
  };
  let fastOnes = 0;
  for (let i = 0; i < 250; i++) {
    let t = files[i % files.length]!;
    for (let k = 0, m = 1 + rnd(3); k < m; k++) {
      const p = rnd(t.length);
      const op = rnd(3);
      if (op === 0) t = t.slice(0, p) + t.slice(p + 1 + rnd(3));
      else if (op === 1) t = t.slice(0, p) + bits[rnd(bits.length)] + t.slice(p);
      else {
        const q = rnd(t.length);
        t = t.slice(0, p) + t.slice(q, q + rnd(20)) + t.slice(p);
      }
    }
    const r = readConfigText(t, 'f.yaml', process.env);
    if (r.via !== 'fast') continue;
    fastOnes++;
    const slow = readPositioned(t, 'f.yaml', process.env);
    assert.deepEqual(slow.diagnostics, [], t);
    assert.deepEqual(r.raw, slow.raw, t);
  }
  assert.ok(fastOnes > 60, `only ${fastOnes} of 250 mutations were read fast`);
});

test('a second YAML document (a --- line) says so, not yaml\'s "please use YAML.parseAllDocuments()"', () => {
  const r = readConfigText('name: a\napps: {}\n---\nname: b\n', 'f.yaml', env);
  assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.message, d.hint]), [
    ['error', 3, 'the file holds more than one YAML document: a --- line here starts another', 'a space is one document: remove the --- line, or give the other space a directory of its own'],
  ]);
  assert.deepEqual(readConfigText('---\nname: a\n', 'f.yaml', env).diagnostics, [], 'a leading --- is one document');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phishingDraftSection, phishingSection } from './client-section.js';
import type { CasePhishing } from './of-case.js';

const base: CasePhishing = {
  case: 'harbour/proxylogon',
  domains: [{ domain: 'harbourtrust.co.je', whose: 'firm', from: 'given' }],
  resolved: false,
  limits: [],
  watch: [],
  lookalikes: [
    { domain: 'xn--hrbourtrust-yij.co.je', unicode: 'hаrbourtrust.co.je', family: 'idn-homoglyph', of: 'harbourtrust.co.je', seen: true },
    { domain: 'harbourtrust.com', family: 'tld-swap', of: 'harbourtrust.co.je', seen: false, registered: true },
    { domain: 'harbortrust.co.je', family: 'omission', of: 'harbourtrust.co.je', seen: false },
  ],
};

test('the section names the lookalikes seen or registered, and only those, with the IDN as a reader sees it', () => {
  const s = phishingSection(base, 'clients');
  assert.deepEqual(s.domains, ['hаrbourtrust.co.je (xn--hrbourtrust-yij.co.je)', 'harbourtrust.com']);
  const text = s.paragraphs.join('\n');
  assert.match(text, /look like harbourtrust\.co\.je but are not ours/);
  assert.doesNotMatch(text, /harbortrust\.co\.je/, 'a generated name nobody has seen or registered is not put to clients');
  assert.doesNotMatch(text, /harbour\/proxylogon|idn-homoglyph|tld-swap/, 'no internal ids or family names in a send copy');
  assert.match(text, /new bank details/);
});

test('with nothing seen or registered the section names no domain and claims none was seen', () => {
  const s = phishingSection({ ...base, lookalikes: [base.lookalikes[2] as CasePhishing['lookalikes'][number]] }, 'regulator');
  assert.deepEqual(s.domains, []);
  assert.doesNotMatch(s.paragraphs.join('\n'), /are not ours|does not use them/);
});

test('the same words as a letter section of a pack draft, traced to the phishing watch', () => {
  const d = phishingDraftSection(base, 'clients');
  assert.equal(d.style, 'letter');
  assert.equal(d.title, 'Messages that pretend to be from us');
  const field = d.items[0];
  assert.ok(field?.kind === 'field');
  assert.deepEqual(field.lines, phishingSection(base, 'clients').paragraphs);
  assert.deepEqual(field.trace, ['lookalike domains seen in the mail (exir phishing)']);
});

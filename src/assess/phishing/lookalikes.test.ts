import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAMILIES, imitates, lookalikes, splitDomain } from './lookalikes.js';

const names = (domain: string): Map<string, string> => new Map(lookalikes(domain).map((l) => [l.domain, l.family]));

test('the registrable name is found by the public-suffix list, not by the last dot', () => {
  assert.deepEqual(splitDomain('mail.harbourtrust.co.je'), { label: 'harbourtrust', suffix: 'co.je' });
  assert.deepEqual(splitDomain('Example.COM.'), { label: 'example', suffix: 'com' });
  assert.equal(splitDomain('10.0.0.1'), undefined);
  assert.equal(splitDomain('co.je'), undefined);
});

test('each family yields the known lookalikes of a sample domain', () => {
  const got = names('example.com');
  const expect: [string, string][] = [
    ['exmple.com', 'omission'],
    ['exaample.com', 'repetition'],
    ['examlpe.com', 'transposition'],
    ['exanple.com', 'replacement'],
    ['exampole.com', 'insertion'],
    ['examplea.com', 'addition'],
    ['examp1e.com', 'homoglyph'],
    ['xn--exmple-4nf.com', 'idn-homoglyph'], // exаmple.com with a Cyrillic а
    ['axample.com', 'bitsquatting'], // e (0x65) with bit 2 flipped is a (0x61), not a key next to e
    ['example.net', 'tld-swap'],
    ['exam-ple.com', 'hyphenation'],
    ['exam.ple.com', 'subdomain'],
  ];
  for (const [domain, family] of expect) assert.equal(got.get(domain), family, domain);
  assert.equal(got.has('example.com'), false, 'the domain itself is not a lookalike of itself');
  assert.deepEqual([...new Set(got.values())].sort(), [...FAMILIES].sort(), 'every family is produced');
  for (const name of got.keys()) assert.match(name, /^[a-z0-9.-]+$/, 'every name is in DNS (punycode) form');
});

test('a domain under a two-part suffix is varied in its own label, and "rn" for "m" is found', () => {
  const got = names('harbourtrust.co.je');
  assert.equal(got.get('harbourtrust.com'), 'tld-swap');
  assert.equal(got.get('harbortrust.co.je'), 'omission');
  assert.equal(got.has('harbourtrust.co.jf'), false, 'the public suffix itself is not mistyped');
  assert.equal(names('mmc.com').get('rnmc.com'), 'homoglyph');
});

test('a seen domain that imitates a protected one is named with its family; partners and the firm itself are not', () => {
  const firm = ['harbourtrust.co.je', 'example.com'];
  assert.deepEqual(imitates('xn--hrbourtrust-yij.co.je', firm), {
    domain: 'xn--hrbourtrust-yij.co.je',
    unicode: 'hаrbourtrust.co.je',
    family: 'idn-homoglyph',
    of: 'harbourtrust.co.je',
  });
  assert.equal(imitates('harbourtrusts.co.je', firm)?.family, 'addition');
  assert.equal(imitates('harb0urtrust.co.je', firm)?.family, 'homoglyph');
  assert.equal(imitates('harbourtrust.com', firm)?.family, 'tld-swap');
  assert.equal(imitates('harbour-trust.co.je', firm)?.family, 'hyphenation');
  assert.equal(imitates('exapmle.com', firm)?.family, 'transposition');
  // Benign twins: the firm's own mail, its subdomains, and a real partner with a different name.
  assert.equal(imitates('harbourtrust.co.je', firm), undefined);
  assert.equal(imitates('mail.harbourtrust.co.je', firm), undefined);
  assert.equal(imitates('harbourlaw.je', firm), undefined);
  assert.equal(imitates('careysolicitors.co.je', firm), undefined);
});

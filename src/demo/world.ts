import type { Rng } from './prng.js';

// The invented organisation the demo's evidence comes from. Names are made up; internal
// addresses are RFC 1918; the attack and scanner addresses are documentation ranges (RFC 5737).

export const NETBIOS = 'CORP';
export const AD_DOMAIN = 'corp.local';
export const SMTP_DOMAIN = 'example.com';
export const EXTERNAL_HOST = 'mail.example.com';
export const AUTODISCOVER_HOST = 'autodiscover.example.com';
const DOMAIN_SID = 'S-1-5-21-1844237615-456351123-2037193416';

export interface Build {
  minor: number;
  build: number;
  revision: number;
}

const BUILD_BEFORE: Build = { minor: 1, build: 2176, revision: 2 };
/** March 2021 Security Update (KB5000871) for Exchange 2016 CU19. */
const BUILD_PATCHED: Build = { minor: 1, build: 2176, revision: 9 };

export interface Server {
  name: 'EX01' | 'EX02';
  fqdn: string;
  ip: string;
  /** IPv6 link-local address Exchange's own components use to call the server. */
  linkLocal: string;
  healthMailboxes: string[];
  processId: number;
  /** When the March 2021 Security Update was installed, if it was. */
  patchedAt: number | undefined;
  /** The server was down for the update in [start, end). */
  downtime: [number, number] | undefined;
  database: Database;
}

export interface Database {
  name: string;
  guid: string;
  server: 'EX01' | 'EX02';
}

interface Phone {
  ua: string;
  deviceType: string;
  deviceId: string;
}

export interface Person {
  sam: string;
  smtp: string;
  sid: string;
  mailboxGuid: string;
  database: Database;
  workstationIp: string;
  homeIp: string;
  browser: string;
  outlook: string;
  phone: Phone | undefined;
  macOutlook: boolean;
  legacyOutlook: boolean;
  /** How busy the person is, relative to others. */
  weight: number;
}

export interface Admin {
  person: Person;
  /** The separate admin account the person signs in with for Exchange administration. */
  account: string;
  sid: string;
  workstationIp: string;
}

export interface World {
  servers: [Server, Server];
  databases: [Database, Database];
  people: Person[];
  admins: Admin[];
  /** Archiving service that reads mailboxes through EWS. */
  archiver: { account: string; sid: string; ip: string; ua: string };
  oabGuid: string;
  oabVdirGuid: Record<'EX01' | 'EX02', string>;
  owaVdirGuid: Record<'EX01' | 'EX02', string>;
  /** Sum of the people's weights, for picking by weight. */
  totalWeight: number;
}

const FIRST = [
  'James',
  'Sarah',
  'David',
  'Emma',
  'Michael',
  'Claire',
  'Paul',
  'Laura',
  'Richard',
  'Helen',
  'Mark',
  'Rachel',
  'Andrew',
  'Sophie',
  'Peter',
  'Louise',
  'Simon',
  'Kate',
  'Daniel',
  'Lucy',
  'Thomas',
  'Joanna',
  'Matthew',
  'Anna',
  'Christopher',
  'Natalie',
  'Stephen',
  'Victoria',
  'Robert',
  'Charlotte',
  'Luis',
  'Ana',
  'Tiago',
  'Marta',
  'Piotr',
  'Agnieszka',
  'Gareth',
  'Fiona',
  'Ian',
  'Megan',
];
const LAST = [
  'Le Brocq',
  'Renouf',
  'Le Sueur',
  'Vibert',
  'Pallot',
  'Amy',
  'Le Quesne',
  'Hamon',
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Evans',
  'Thomas',
  'Roberts',
  'Walker',
  'Wright',
  'Green',
  'Hall',
  'Wood',
  'Clarke',
  'Hughes',
  'Edwards',
  'Turner',
  'Mendes',
  'Pereira',
  'Gomes',
  'Nowak',
  'Kowalski',
  'Baker',
  'Cooper',
  'Morgan',
  'Bennett',
  'Le Maistre',
  'de Gruchy',
  'Falle',
  'Mauger',
  'Noel',
];

const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.190 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/89.0.4389.72 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.192 Safari/537.36 Edg/88.0.705.81',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:86.0) Gecko/20100101 Firefox/86.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.3 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko',
];
const OUTLOOKS = [
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13628; Pro)',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13801; Pro)',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.5110; Pro)',
];
const PHONES: readonly (readonly [string, string])[] = [
  ['Apple-iPhone12C1/1804.18', 'iPhone'],
  ['Apple-iPhone11C8/1803.79', 'iPhone'],
  ['Outlook-iOS-Android/1.0', 'Outlook'],
  ['Android-Mail/2021.01.24.355474148.Release', 'Android'],
  ['SAMSUNG-SM-G991B/101.10001', 'SAMSUNGSMG991B'],
];
/** Broadband and mobile prefixes for people's home and phone addresses (none is in our IOC lists). */
const EXTERNAL_PREFIXES = ['81.144', '86.153', '92.40', '109.144', '176.24', '212.9', '31.94', '82.132'];

function sid(rid: number): string {
  return `${DOMAIN_SID}-${rid}`;
}

function samFor(first: string, last: string): string {
  return (first[0] + last.replace(/[^A-Za-z]/g, '')).toLowerCase();
}

function externalIp(rng: Rng): string {
  return `${rng.pick(EXTERNAL_PREFIXES)}.${rng.range(1, 254)}.${rng.range(1, 254)}`;
}

export function buildWorld(rng: Rng, peopleCount = 160): World {
  const databases: [Database, Database] = [
    { name: 'DB01', guid: rng.guid(), server: 'EX01' },
    { name: 'DB02', guid: rng.guid(), server: 'EX02' },
  ];
  const healthMailboxes = (): string[] => [0, 1, 2].map(() => `HealthMailbox${rng.hex(32)}`);
  const march = (d: number, h: number, m: number): number => Date.UTC(2021, 2, d, h, m);
  const servers: [Server, Server] = [
    {
      name: 'EX01',
      fqdn: `EX01.${AD_DOMAIN}`,
      ip: '10.10.1.11',
      linkLocal: 'fe80::3d1c:8a42:91e7:5b10%12',
      healthMailboxes: healthMailboxes(),
      processId: 11484,
      patchedAt: undefined,
      downtime: undefined,
      database: databases[0],
    },
    {
      name: 'EX02',
      fqdn: `EX02.${AD_DOMAIN}`,
      ip: '10.10.1.12',
      linkLocal: 'fe80::b5e2:1f07:6c3a:d291%12',
      healthMailboxes: healthMailboxes(),
      processId: 9732,
      patchedAt: march(4, 21, 0),
      downtime: [march(4, 20, 5), march(4, 21, 0)],
      database: databases[1],
    },
  ];

  const people: Person[] = [];
  const seen = new Set<string>();
  let rid = 1104;
  while (people.length < peopleCount) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    let sam = samFor(first, last);
    if (seen.has(sam)) sam += String(rng.range(2, 9));
    if (seen.has(sam)) continue;
    seen.add(sam);
    const phoneSpec = rng.chance(0.7) ? rng.pick(PHONES) : undefined;
    const smtpLocal = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    people.push({
      sam,
      smtp: `${smtpLocal}@${SMTP_DOMAIN}`,
      sid: sid(rid++),
      mailboxGuid: rng.guid(),
      database: rng.chance(0.5) ? databases[0] : databases[1],
      workstationIp: `10.10.${rng.range(20, 21)}.${rng.range(10, 250)}`,
      homeIp: externalIp(rng),
      browser: rng.pick(BROWSERS),
      outlook: rng.pick(OUTLOOKS),
      phone: phoneSpec ? { ua: phoneSpec[0], deviceType: phoneSpec[1], deviceId: rng.hex(32).toUpperCase() } : undefined,
      macOutlook: rng.chance(0.06),
      legacyOutlook: rng.chance(0.05),
      // A few people do most of the work, as in any office.
      weight: 0.3 + rng.skewed(1),
    });
  }
  const adminPeople = people.slice(0, 2);
  const admins: Admin[] = adminPeople.map((person, i) => ({
    person,
    account: `adm-${person.sam}`,
    sid: sid(1000 + i * 3),
    workstationIp: `10.10.5.${21 + i}`,
  }));
  let totalWeight = 0;
  for (const p of people) totalWeight += p.weight;
  return {
    servers,
    databases,
    people,
    admins,
    archiver: {
      account: 'svc-mailarchive',
      sid: sid(1650),
      ip: '10.10.1.30',
      ua: 'ExchangeServicesClient/15.00.0913.015',
    },
    oabGuid: rng.guid(),
    oabVdirGuid: { EX01: rng.guid(), EX02: rng.guid() },
    owaVdirGuid: { EX01: rng.guid(), EX02: rng.guid() },
    totalWeight,
  };
}

export function pickPerson(rng: Rng, world: World): Person {
  let r = rng.next() * world.totalWeight;
  for (const p of world.people) {
    r -= p.weight;
    if (r < 0) return p;
  }
  const last = world.people[world.people.length - 1];
  if (!last) throw new Error('no people');
  return last;
}

export function buildAt(server: Server, t: number): Build {
  return server.patchedAt !== undefined && t >= server.patchedAt ? BUILD_PATCHED : BUILD_BEFORE;
}

/** `15.01.2176.002`, as in the `#Version` line. */
export function versionLine(b: Build): string {
  return `15.${String(b.minor).padStart(2, '0')}.${String(b.build).padStart(4, '0')}.${String(b.revision).padStart(3, '0')}`;
}

/** `15.1.2176.2`, as in ECP's S:BLD. */
export function versionDotted(b: Build): string {
  return `15.${b.minor}.${b.build}.${b.revision}`;
}

/**
 * The encoded server version CAFE writes as `FEAuth=BEVersion-<n>` and in server cookies
 * (15.1.2375 gives 1942063431 in the Qazeer samples; 15.0.1497 gives 1941997017 in published logs).
 */
export function encodedVersion(b: Build): number {
  return 0x70000000 + (15 << 22) + (b.minor << 16) + 0x8000 + b.build;
}

import { type Ctx, databaseCookie, fits, inOffice, later, mobileIp, serverFqdn } from './common.js';
import { type Protocol, type ProxyRequest, newRequest } from './request.js';
import { AUTODISCOVER_HOST, EXTERNAL_HOST, NETBIOS, AD_DOMAIN, type Person, type Server, SMTP_DOMAIN, pickPerson } from './world.js';

// People using their mailboxes: Outlook (MAPI, RPC over HTTP, autodiscover, OAB), OWA, phones
// (ActiveSync), Mac Outlook and Skype (EWS), published calendars. Each function makes one
// activity of a few requests and returns how many it made.

function userRequest(ctx: Ctx, server: Server, t: number, protocol: Protocol, p: Person): ProxyRequest {
  const r = newRequest(server, t, protocol, ctx.rng.guid());
  r.user = `${NETBIOS}\\${p.sam}`;
  r.targetServer = serverFqdn(p.database.server);
  r.backEndCookie = databaseCookie(p.database, t);
  r.urlHost = EXTERNAL_HOST;
  return r;
}

function clientIp(ctx: Ctx, p: Person, t: number): string {
  return inOffice(t) && ctx.rng.chance(0.85) ? p.workstationIp : p.homeIp;
}

/** The first leg of NTLM/Negotiate: CAFE answers 401 itself and nothing is proxied. */
function challenge(ctx: Ctx, server: Server, t: number, protocol: Protocol, like: ProxyRequest): ProxyRequest {
  const r = newRequest(server, t, protocol, ctx.rng.guid());
  Object.assign(r, {
    method: like.method,
    urlHost: like.urlHost,
    urlStem: like.urlStem,
    query: like.query,
    authType: like.authType,
    userAgent: like.userAgent,
    clientIp: like.clientIp,
    status: 401,
    proxied: false,
    duration: ctx.rng.range(0, 2),
    iisSubStatus: 1,
    iisWin32Status: 2148074254,
    targetServer: '',
    routingType: '',
  });
  return r;
}

export function mapiSession(ctx: Ctx, server: Server, t0: number): number {
  const { rng } = ctx;
  const p = pickPerson(rng, ctx.world);
  if (p.macOutlook || p.legacyOutlook) return 0;
  const ip = clientIp(ctx, p, t0);
  const session = rng.guid();
  const ci = rng.guid();
  const count = rng.range(2, 8);
  let t = t0;
  let made = 0;
  for (let i = 0; i < count; i++) {
    const nspi = rng.chance(0.15);
    const rt = nspi
      ? rng.pick(['Bind', 'QueryRows', 'GetMatches', 'ResolveNames', 'Unbind'])
      : rng.weighted([
          ['Execute', 6],
          ['NotificationWait', 2],
          ['Connect', 0.4],
          ['Disconnect', 0.3],
        ] as const);
    const duration = rt === 'NotificationWait' ? rng.range(20_000, 300_000) : rng.skewed(25);
    t = later(rng, t, rt === 'NotificationWait' ? 30_000 : 3000);
    if (!fits(ctx, t)) break;
    const r = userRequest(ctx, server, t, 'Mapi', p);
    r.method = 'POST';
    r.urlStem = nspi ? '/mapi/nspi/' : '/mapi/emsmdb/';
    r.query = `mailboxId=${p.mailboxGuid}@${SMTP_DOMAIN}`;
    r.authType = 'Negotiate';
    r.organization = AD_DOMAIN;
    r.anchorMailbox = `MailboxGuid~${p.mailboxGuid}`;
    r.userAgent = p.outlook;
    r.clientIp = ip;
    r.clientRequestId = `R:${session}:${i + 1};RT:${rt};CI:${ci}:1;CID:${rng.guid()}`;
    r.routingHint = 'MailboxGuidWithDomain';
    r.routingDb = `|RoutingDB:${p.database.guid}`;
    r.requestBytes = rng.skewed(400);
    r.responseBytes = rng.skewed(900);
    r.duration = duration;
    if (rt === 'Connect' && rng.chance(0.5)) {
      ctx.batch.proxy(challenge(ctx, server, t - duration - 2, 'Mapi', r));
      made++;
    }
    ctx.batch.proxy(r);
    made++;
  }
  return made;
}

export function rpcHttpSession(ctx: Ctx, server: Server, t0: number): number {
  const { rng } = ctx;
  const p = pickPerson(rng, ctx.world);
  const ip = clientIp(ctx, p, t0);
  let t = t0;
  let made = 0;
  for (const method of ['RPC_IN_DATA', 'RPC_OUT_DATA', 'RPC_IN_DATA', 'RPC_OUT_DATA']) {
    t = later(rng, t, 800);
    if (!fits(ctx, t)) break;
    const r = userRequest(ctx, server, t, 'RpcHttp', p);
    r.method = method;
    r.urlStem = '/rpc/rpcproxy.dll';
    r.query = `${p.mailboxGuid}@${SMTP_DOMAIN}:6001`;
    r.authType = 'NTLM';
    r.anchorMailbox = `MailboxGuid~${p.mailboxGuid}`;
    r.userAgent = 'MSRPC';
    r.clientIp = ip;
    r.routingHint = 'RpcHttpProxyRequestHandler';
    r.requestBytes = method === 'RPC_IN_DATA' ? 1073741824 : 76;
    r.responseBytes = rng.skewed(2000);
    r.duration = method === 'RPC_OUT_DATA' ? rng.range(60_000, 900_000) : rng.skewed(200);
    ctx.batch.proxy(r);
    made++;
  }
  return made;
}

const OWA_ACTIONS = [
  ['FindItem', 5],
  ['GetItem', 6],
  ['GetConversationItems', 4],
  ['FindConversation', 3],
  ['UpdateItem', 2],
  ['CreateItem', 1],
  ['GetFolderMruConfiguration', 0.5],
  ['GetAttachmentDataProviders', 0.3],
  ['GetUserAvailabilityInternal', 0.8],
  ['SubscribeToNotification', 0.5],
] as const;

export function owaSession(ctx: Ctx, server: Server, t0: number): number {
  const { rng } = ctx;
  const p = pickPerson(rng, ctx.world);
  const ip = clientIp(ctx, p, t0);
  const clientId = rng.hex(32).toUpperCase();
  const owaCanary = rng.token(76);
  let t = t0;
  let made = 0;
  const base = (stem: string, query: string, method: string): ProxyRequest => {
    const r = userRequest(ctx, server, t, 'Owa', p);
    r.urlStem = stem;
    r.query = query;
    r.method = method;
    r.authType = 'FBA';
    r.anchorMailbox = `Sid~${p.sid}`;
    r.userAgent = p.browser;
    r.clientIp = ip;
    r.routingHint = 'WindowsIdentity';
    r.iisQueryExtra = `&ClientId=${clientId}`;
    r.referer = `https://${EXTERNAL_HOST}/owa/`;
    r.requestBytes = method === 'POST' ? rng.skewed(700) : 0;
    r.responseBytes = rng.skewed(3000);
    r.duration = rng.skewed(30);
    return r;
  };
  if (rng.chance(0.3)) {
    // Signing in: CAFE redirects to the logon form and serves it itself, then the form posts.
    const redirect = base('/owa/', '', 'GET');
    Object.assign(redirect, {
      user: '',
      status: 302,
      proxied: false,
      referer: '',
      iisQueryExtra: '',
      targetServer: '',
      routingType: '',
      genericInfoExtra: 'NoCookies=302 - GET/E14AuthPost;',
      duration: 1,
      anchorMailbox: '',
    });
    ctx.batch.proxy(redirect);
    t = later(rng, t, 900);
    if (!fits(ctx, t)) return 1;
    const form = base('/owa/auth/logon.aspx', 'url=https%3a%2f%2fmail.example.com%2fowa%2f&reason=0', 'GET');
    Object.assign(form, {
      user: '',
      proxied: false,
      iisQueryExtra: '',
      targetServer: '',
      routingType: '',
      anchorMailbox: '',
      duration: 3,
    });
    ctx.batch.proxy(form);
    t = later(rng, t, 6000);
    if (!fits(ctx, t)) return 2;
    const post = base('/owa/auth.owa', '', 'POST');
    Object.assign(post, { status: 302, proxied: false, iisQueryExtra: '', targetServer: '', routingType: '' });
    post.referer = `https://${EXTERNAL_HOST}/owa/auth/logon.aspx?url=https%3a%2f%2fmail.example.com%2fowa%2f&reason=0`;
    ctx.batch.proxy(post);
    t = later(rng, t, 300);
    if (!fits(ctx, t)) return 3;
    ctx.batch.proxy(base('/owa/', '', 'GET'));
    made = 4;
  }
  const count = rng.range(1, 10);
  for (let i = 0; i < count; i++) {
    t = later(rng, t, 5000);
    if (!fits(ctx, t)) break;
    const kind = rng.weighted([
      ['service', 8],
      ['notify', 2],
      ['attachment', 0.6],
    ] as const);
    let r: ProxyRequest;
    if (kind === 'service') {
      const action = rng.weighted(OWA_ACTIONS);
      r = base('/owa/service.svc', `action=${action}&EP=1&ID=-${rng.range(10, 400)}&AC=1`, 'POST');
      r.protocolAction = action;
    } else if (kind === 'notify') {
      r = base('/owa/ev.owa2', `ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=${rng.range(100000, 999999)}&X-OWA-CANARY=${owaCanary}`, 'POST');
      r.protocolAction = 'PendingRequest';
      r.duration = rng.range(10_000, 120_000);
    } else {
      r = base('/owa/service.svc/s/GetFileAttachment', `id=${rng.token(140)}%3D&X-OWA-CANARY=${owaCanary}`, 'GET');
      r.protocolAction = 'GetFileAttachment';
      r.responseBytes = rng.skewed(250_000);
    }
    ctx.batch.proxy(r);
    made++;
  }
  return made;
}

const EAS_COMMANDS = [
  ['Ping', 6],
  ['Sync', 5],
  ['FolderSync', 1],
  ['GetItemEstimate', 1],
  ['SendMail', 0.4],
  ['ItemOperations', 0.5],
  ['SmartReply', 0.2],
  ['MoveItems', 0.3],
] as const;

export function easSession(ctx: Ctx, server: Server, t0: number): number {
  const { rng } = ctx;
  let p = pickPerson(rng, ctx.world);
  for (let i = 0; i < 4 && !p.phone; i++) p = pickPerson(rng, ctx.world);
  const phone = p.phone;
  if (!phone) return 0;
  const ip = inOffice(t0) && rng.chance(0.35) ? `10.10.40.${rng.range(10, 250)}` : mobileIp(rng);
  let t = t0;
  let made = 0;
  const count = rng.range(1, 3);
  for (let i = 0; i < count; i++) {
    const cmd = rng.weighted(EAS_COMMANDS);
    t = later(rng, t, 2000);
    if (!fits(ctx, t)) break;
    const r = userRequest(ctx, server, t, 'Eas', p);
    r.method = 'POST';
    r.urlStem = '/Microsoft-Server-ActiveSync/default.eas';
    r.query = `Cmd=${cmd}&User=${p.sam}&DeviceId=${phone.deviceId}&DeviceType=${phone.deviceType}`;
    r.protocolAction = cmd;
    r.authType = 'Basic';
    r.anchorMailbox = `Sid~${p.sid}`;
    r.userAgent = phone.ua;
    r.clientIp = ip;
    r.routingHint = 'WindowsIdentity';
    r.requestBytes = rng.skewed(120);
    r.responseBytes = rng.skewed(cmd === 'Ping' ? 20 : 2000);
    r.duration = cmd === 'Ping' ? rng.range(60_000, 900_000) : rng.skewed(60);
    ctx.batch.proxy(r);
    made++;
  }
  return made;
}

const EWS_ACTIONS = [
  ['FindItem', 4],
  ['GetItem', 5],
  ['SyncFolderItems', 3],
  ['GetUserAvailability', 3],
  ['GetFolder', 2],
  ['GetUserOofSettings', 1],
  ['GetEvents', 1],
  ['Subscribe', 0.5],
] as const;
const SKYPE = 'OC/16.0.13628.20274 (Skype for Business)';

export function ewsSession(ctx: Ctx, server: Server, t0: number): number {
  const { rng } = ctx;
  const p = pickPerson(rng, ctx.world);
  const ua = p.macOutlook ? 'MacOutlook/16.46.21021202 (Intelx64 Mac OS X 10.15.7 (Build 19H524))' : rng.chance(0.5) ? SKYPE : p.outlook;
  const ip = clientIp(ctx, p, t0);
  let t = t0;
  let made = 0;
  const count = rng.range(1, 5);
  for (let i = 0; i < count; i++) {
    t = later(rng, t, 3000);
    if (!fits(ctx, t)) break;
    const action = ua === SKYPE ? rng.pick(['GetUserAvailability', 'GetUserPhoto', 'FindItem']) : rng.weighted(EWS_ACTIONS);
    const r = userRequest(ctx, server, t, 'Ews', p);
    r.method = 'POST';
    r.urlStem = '/EWS/Exchange.asmx';
    r.protocolAction = action;
    r.authType = p.macOutlook ? 'NTLM' : 'Negotiate';
    r.organization = AD_DOMAIN;
    r.anchorMailbox = `Smtp~${p.smtp}`;
    r.userAgent = ua;
    r.clientIp = ip;
    r.routingHint = 'AnchorMailboxHeader-SMTP';
    r.requestBytes = rng.skewed(600);
    r.responseBytes = rng.skewed(4000);
    r.duration = rng.skewed(70);
    ctx.batch.proxy(r);
    made++;
  }
  return made;
}

export function autodiscover(ctx: Ctx, server: Server, t0: number): number {
  const { rng } = ctx;
  const p = pickPerson(rng, ctx.world);
  const r = userRequest(ctx, server, t0, 'Autodiscover', p);
  r.urlHost = AUTODISCOVER_HOST;
  r.requestBytes = rng.skewed(350);
  r.responseBytes = rng.skewed(2500);
  r.duration = rng.skewed(15);
  r.routingHint = 'WindowsIdentity';
  const phone = p.phone;
  if (phone && phone.deviceType === 'Outlook' && rng.chance(0.6)) {
    // Outlook mobile asks anonymously by address: a legitimate autodiscover.json request.
    Object.assign(r, { user: '', authType: '', method: 'GET', userAgent: phone.ua, clientIp: mobileIp(rng) });
    r.urlStem = rng.chance(0.5) ? `/autodiscover/autodiscover.json/v1.0/${p.smtp}` : '/autodiscover/autodiscover.json';
    r.query =
      r.urlStem === '/autodiscover/autodiscover.json'
        ? `Email=${encodeURIComponent(p.smtp)}&Protocol=ActiveSync&RedirectCount=1`
        : 'Protocol=ActiveSync&RedirectCount=1';
    r.anchorMailbox = `Smtp~${p.smtp}`;
    r.routingHint = 'Url';
    ctx.batch.proxy(r);
    return 1;
  }
  r.method = 'POST';
  if (phone && rng.chance(0.3)) {
    Object.assign(r, { urlStem: '/Autodiscover/Autodiscover.xml', authType: 'Basic', userAgent: phone.ua, clientIp: mobileIp(rng) });
  } else {
    Object.assign(r, { urlStem: '/autodiscover/autodiscover.xml', authType: 'Negotiate', userAgent: p.outlook, clientIp: clientIp(ctx, p, t0) });
  }
  r.anchorMailbox = `Sid~${p.sid}`;
  let made = 0;
  if (r.authType === 'Negotiate' && rng.chance(0.5)) {
    ctx.batch.proxy(challenge(ctx, server, t0 - r.duration - 3, 'Autodiscover', r));
    made++;
  }
  ctx.batch.proxy(r);
  return made + 1;
}

export function oabDownload(ctx: Ctx, server: Server, t0: number): number {
  const { rng, world } = ctx;
  const p = pickPerson(rng, world);
  const ip = clientIp(ctx, p, t0);
  const r = userRequest(ctx, server, t0, 'Oab', p);
  Object.assign(r, {
    urlStem: `/OAB/${world.oabGuid}/oab.xml`,
    authType: 'Negotiate',
    anchorMailbox: `Sid~${p.sid}`,
    userAgent: p.outlook,
    clientIp: ip,
    routingHint: 'WindowsIdentity',
    status: rng.chance(0.7) ? 304 : 200,
    duration: rng.skewed(8),
    responseBytes: rng.skewed(900),
  });
  ctx.batch.proxy(r);
  if (r.status === 304) return 1;
  const t = later(rng, t0, 2000);
  if (!fits(ctx, t)) return 1;
  const lzx = userRequest(ctx, server, t, 'Oab', p);
  Object.assign(lzx, {
    urlStem: `/OAB/${world.oabGuid}/${world.oabGuid}-binpatch-${rng.range(40, 60)}-${rng.range(40, 60)}.lzx`,
    authType: 'Negotiate',
    anchorMailbox: `Sid~${p.sid}`,
    userAgent: 'Microsoft BITS/7.8',
    clientIp: ip,
    routingHint: 'WindowsIdentity',
    status: rng.chance(0.2) ? 206 : 200,
    duration: rng.skewed(40),
    responseBytes: rng.skewed(20_000),
  });
  ctx.batch.proxy(lzx);
  return 2;
}

const CALENDAR_READERS = [
  ['Google-Calendar-Importer', '66.249.'],
  ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13628; Pro)', '212.9.'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.190 Safari/537.36', '86.153.'],
] as const;

/** A few people publish their calendars; partners fetch them anonymously. */
export function publishedCalendar(ctx: Ctx, server: Server, t0: number): number {
  const { rng, world } = ctx;
  const p = world.people[rng.int(Math.min(6, world.people.length))];
  if (!p) return 0;
  const [ua, prefix] = rng.pick(CALENDAR_READERS);
  const r = newRequest(server, t0, 'OwaCalendar', rng.guid());
  const ics = rng.chance(0.7);
  Object.assign(r, {
    urlHost: EXTERNAL_HOST,
    method: 'GET',
    urlStem: `/owa/calendar/${p.mailboxGuid}@${SMTP_DOMAIN}/${p.mailboxGuid.replace(/-/g, '')}${p.sid.slice(-4)}/${ics ? 'calendar.ics' : 'calendar.html'}`,
    anchorMailbox: `Smtp~${p.smtp}`,
    userAgent: ua,
    clientIp: `${prefix}${rng.range(1, 254)}.${rng.range(1, 254)}`,
    routingHint: 'ExplicitLogon-SMTP',
    targetServer: serverFqdn(p.database.server),
    duration: rng.skewed(60),
    responseBytes: rng.skewed(30_000),
    backEndCookie: databaseCookie(p.database, t0),
  });
  ctx.batch.proxy(r);
  return 1;
}

/** Requests IIS answers without CAFE: the site root redirects to /owa, favicon is missing. */
export function siteRoot(ctx: Ctx, server: Server, t0: number): number {
  const { rng } = ctx;
  const p = pickPerson(rng, ctx.world);
  const favicon = rng.chance(0.3);
  ctx.batch.iis({
    time: t0,
    serverIp: server.ip,
    method: 'GET',
    stem: favicon ? '/favicon.ico' : '/',
    query: '',
    port: 443,
    user: '',
    clientIp: clientIp(ctx, p, t0),
    userAgent: p.browser,
    referer: '',
    status: favicon ? 404 : 302,
    subStatus: 0,
    win32Status: favicon ? 2 : 0,
    timeTaken: rng.range(0, 3),
  });
  return 1;
}

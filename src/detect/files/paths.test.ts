import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inScope, placeOf, urlPathOf, windowsPath } from './paths.js';

const EX = 'Program Files/Microsoft/Exchange Server/V15';

test('inScope: Exchange and IIS web folders, ASP.NET temp files, C:\\root, Windows\\Temp and ProgramData, on Windows and collected paths', () => {
  const yes = [
    'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx',
    'EX01/inetpub/wwwroot/aspnet_client/system_web/x.aspx',
    'bundle.zip!/EX01/inetpub/wwwroot/aspnet_client/x.aspx',
    `EX01/${EX}/FrontEnd/HttpProxy/owa/auth/x.aspx`,
    'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\ecp\\About.aspx',
    'D:\\Exchange\\FrontEnd\\HttpProxy\\ecp\\auth\\x.aspx',
    'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\owa\\a\\b\\App_Web_x.dll',
    'C:\\root\\lsass.dmp',
    'EX01/root/lsass.dmp',
    'triage.zip!/EX01/C/root/lsass.dmp',
    'C:\\Windows\\Temp\\xx.bat',
    'EX01/Windows/Temp/lsass.dmp',
    'C:\\ProgramData\\it.zip',
    'EX01/ProgramData/COM/shell.aspx',
    'C:\\Users\\All Users\\ZING\\x.aspx',
    'C:\\inetpub\\history\\CFGHISTORY_0000000001\\applicationHost.config',
  ];
  const no = [
    'C:\\Windows\\System32\\cmd.exe',
    'C:\\Users\\admin\\Documents\\report.docx',
    'EX01/inetpub/logs/LogFiles/W3SVC1/u_ex210302.log',
    `EX01/${EX}/Logging/HttpProxy/Owa/HttpProxy_2021030201-1.LOG`,
    `EX01/${EX}/Bin/Microsoft.Exchange.Data.dll`,
    'EX01/D/Data/Backups/root/x.dmp',
    'C:\\Windows\\Temp',
    'C:\\ProgramData',
    'EX01/inetpub',
  ];
  for (const p of yes) assert.equal(inScope(p), true, p);
  for (const p of no) assert.equal(inScope(p), false, p);
});

test('placeOf: what kind of folder, and the path below the Exchange install root', () => {
  const owa = placeOf(`EX01/${EX}/FrontEnd/HttpProxy/owa/auth/logon.aspx`);
  assert.equal(owa.kind, 'exchange-web');
  assert.equal(owa.installRelative, '\\frontend\\httpproxy\\owa\\auth\\logon.aspx');
  const ecp = placeOf('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\ecp\\15.2.792.10\\scripts\\x.js');
  assert.equal(ecp.installRelative, '\\clientaccess\\ecp\\15.2.792.10\\scripts\\x.js');
  assert.equal(ecp.versionFolder, '15.2.792.10');
  assert.equal(placeOf('EX01/V15/FrontEnd/HttpProxy/owa/auth/15.0.1497/scripts/premium/flogon.js').versionFolder, '15.0.1497');
  assert.equal(placeOf('D:/Exchange/FrontEnd/HttpProxy/owa/auth/x.aspx').installRelative, '\\frontend\\httpproxy\\owa\\auth\\x.aspx');
  assert.equal(placeOf('EX01/inetpub/wwwroot/aspnet_client/x.aspx').kind, 'iis-web');
  assert.equal(placeOf('EX01/ProgramData/COM/x.aspx').kind, 'rogue-vdir');
  assert.equal(placeOf('EX01/ProgramData/McAfee/x.zip').kind, 'staging');
  assert.equal(placeOf('EX01/Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET Files/x.dll').kind, 'aspnet-temp');
  // a folder named FrontEnd elsewhere is not Exchange's unless HttpProxy follows
  assert.equal(placeOf('EX01/Users/dev/FrontEnd/app/x.aspx').kind, 'other');
});

test('windowsPath: collected paths written as Windows paths for published patterns', () => {
  assert.equal(windowsPath('EX01/ProgramData/COM1/a.aspx'), 'C:\\ProgramData\\COM1\\a.aspx');
  assert.equal(windowsPath('triage.zip!/EX01/D/ProgramData/x.zip'), 'D:\\ProgramData\\x.zip');
  assert.equal(windowsPath('C:\\inetpub\\wwwroot\\x.aspx'), 'C:\\inetpub\\wwwroot\\x.aspx');
  assert.equal(windowsPath('EX01/V15/FrontEnd/HttpProxy/owa/auth/x.aspx'), '\\EX01\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\x.aspx');
});

void test('a file in a web folder is named by the URL path IIS serves it at', () => {
  assert.equal(urlPathOf(placeOf('EX01/C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/Shell.aspx')), '/owa/auth/shell.aspx');
  assert.equal(urlPathOf(placeOf('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\ecp\\auth\\x.aspx')), '/ecp/auth/x.aspx');
  assert.equal(urlPathOf(placeOf('bundle.zip!/EX01/inetpub/wwwroot/aspnet_client/system_web/log.aspx')), '/aspnet_client/system_web/log.aspx');
  assert.equal(urlPathOf(placeOf('C:\\ProgramData\\COM\\x.aspx')), undefined);
});

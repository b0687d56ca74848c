import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../core/types.js';
import { loadFileChecker } from './index.js';
import { iisEntries, isApplicationHostConfig } from './iis-config.js';
import { factsOf } from './test-helpers/facts.js';

// The shape of an Exchange server's applicationHost.config (IIS 10), cut to what the check reads.
const CONFIG = `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
    <system.applicationHost>
        <sites>
            <site name="Default Web Site" id="1">
                <application path="/" applicationPool="DefaultAppPool">
                    <virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" />
                </application>
                <application path="/owa" applicationPool="MSExchangeOWAAppPool">
                    <virtualDirectory path="/" physicalPath="C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa" />
                    <virtualDirectory path="/Calendar" physicalPath="C:\\ProgramData\\COM\\" />
                </application>
            </site>
            <site name="Exchange Back End" id="2">
                <application path="/ecp" applicationPool="MSExchangeECPAppPool">
                    <virtualDirectory path="/" physicalPath="C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\ecp" />
                </application>
            </site>
        </sites>
    </system.applicationHost>
    <system.webServer>
        <globalModules>
            <add name="UriCacheModule" image="%windir%\\System32\\inetsrv\\cachuri.dll" />
            <add name="Exchange HttpProxy" image="C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\Microsoft.Exchange.HttpProxy.dll" />
            <add name="ProtocolSupportModule" image="C:\\Users\\Public\\Libraries\\protsup.dll" />
        </globalModules>
        <isapiFilters>
            <filter name="ASP.Net_4.0_64bit" path="%windir%\\Microsoft.NET\\Framework64\\v4.0.30319\\aspnet_filter.dll" />
        </isapiFilters>
    </system.webServer>
</configuration>
`;

const { checker, warnings } = await loadFileChecker({ build: '15.2.792.10' });
const iis = (fs: Finding[]) => fs.filter((f) => f.ruleId.startsWith('exir-iis-'));

test('modules and virtual directories are read with their site, application and line', () => {
  assert.ok(isApplicationHostConfig(CONFIG));
  assert.ok(!isApplicationHostConfig('<configuration><system.webServer></system.webServer></configuration>'));
  const entries = iisEntries(CONFIG);
  const vdirs = entries.filter((e) => e.kind === 'virtual-directory').map((e) => `${e.name}=${e.path}`);
  assert.deepEqual(vdirs, [
    'Default Web Site=%SystemDrive%\\inetpub\\wwwroot',
    'Default Web Site/owa=C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa',
    'Default Web Site/owa/Calendar=C:\\ProgramData\\COM\\',
    'Exchange Back End/ecp=C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\ecp',
  ]);
  assert.deepEqual(
    entries.filter((e) => e.kind === 'module').map((e) => e.name),
    ['UriCacheModule', 'Exchange HttpProxy', 'ProtocolSupportModule', 'ASP.Net_4.0_64bit'],
  );
  assert.equal(entries.find((e) => e.name === 'ProtocolSupportModule')?.line, 25);
});

test("a module from a user folder and a virtual directory into ProgramData are findings; Exchange's and IIS's own are not", async () => {
  assert.deepEqual(warnings, []);
  const found = iis(await checker.check(factsOf('bundle.zip!/EX01/config/applicationHost.config', CONFIG)));
  assert.deepEqual(
    found.map((f) => [f.ruleId, f.origin.line]),
    [
      ['exir-iis-vdir-unusual-place', 11],
      ['exir-iis-module-unusual-place', 25],
    ],
  );
  assert.equal(found[0]?.fields.virtualDirectory, 'Default Web Site/owa/Calendar');
  assert.equal(found[0]?.fields.physicalPath, 'C:\\ProgramData\\COM\\');
  assert.match(found[0]?.title ?? '', /ProgramData/);
  assert.equal(found[1]?.fields.image, 'C:\\Users\\Public\\Libraries\\protsup.dll');
  assert.equal(found[1]?.stage, 'post-exploitation');
});

test('the benign twin: the same configuration with every path in its usual place has no finding', async () => {
  const clean = CONFIG.replace('C:\\ProgramData\\COM\\', 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\Calendar').replace(
    'C:\\Users\\Public\\Libraries\\protsup.dll',
    '%windir%\\System32\\inetsrv\\protsup.dll',
  );
  assert.deepEqual(iis(await checker.check(factsOf('EX01/applicationHost.config', clean))), []);
  // A web.config may name ProgramData in a setting: only applicationHost.config's own elements count.
  const webConfig = '<configuration><appSettings><add key="x" value="C:\\ProgramData\\COM\\" /></appSettings></configuration>';
  assert.deepEqual(iis(await checker.check(factsOf('EX01/web.config', webConfig))), []);
});

test('a configuration larger than the head is read whole; one cut short still yields what precedes the cut', async () => {
  const padded = CONFIG.replace('<sites>', `<!-- ${'x'.repeat(70 * 1024)} -->\n<sites>`);
  const facts = factsOf('EX01/applicationHost.config', padded);
  assert.equal(iis(await checker.check(facts)).length, 2);
  assert.equal(facts.reads, 1);
  const cut = CONFIG.slice(0, CONFIG.indexOf('<globalModules>') + 20);
  assert.deepEqual(
    iis(await checker.check(factsOf('EX01/applicationHost.config', cut))).map((f) => f.ruleId),
    ['exir-iis-vdir-unusual-place'],
  );
});

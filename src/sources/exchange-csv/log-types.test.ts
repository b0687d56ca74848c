import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindOfLogType, sniffExchangeCsv } from './log-types.js';

test('kindOfLogType: every modelled log type and close variants', () => {
  const cases: [string, string][] = [
    ['HttpProxy Logs', 'httpproxy'],
    ['ECP Server Log', 'ecp-server'],
    ['ECP Activity Context Log', 'ecp-activity'],
    ['Message Tracking Log', 'msgtrk'],
    ['EWS Logs', 'ews'],
    ['Rps Cmdlet Logs', 'rps-cmdlet'],
    ['Rps Http Logs', 'rps-http'],
    ['Rps_Http Log', 'rps-http'],
    ['OABGenerator Log', 'oabgenerator'],
    ['OAB Generator Logs', 'oabgenerator'],
    ['httpproxy log', 'httpproxy'],
    ['SMTP Receive Protocol Log', 'unknown'],
    ['Agent Log', 'unknown'],
    ['audit', 'unknown'],
  ];
  for (const [logType, kind] of cases) assert.equal(kindOfLogType(logType), kind, logType);
});

test('sniffExchangeCsv: Exchange headers anywhere in the head; others are not Exchange', () => {
  assert.equal(sniffExchangeCsv('#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n#Log-type: ECP Server Log\r\n'), 'ecp-server');
  assert.equal(sniffExchangeCsv('DateTime,StartTime\r\n#Software: Microsoft Exchange Server\r\n#Log-type: Rps Http Logs\r\n'), 'rps-http');
  assert.equal(sniffExchangeCsv('\uFEFF#Software: Microsoft Exchange\n#Log-type: audit\n'), 'unknown');
  assert.equal(sniffExchangeCsv('#Software: Microsoft Internet Information Services 10.0\n#Fields: date time\n'), undefined);
  assert.equal(sniffExchangeCsv('DateTime,RequestId\n2023-01-01T00:00:00.000Z,x\n'), undefined);
});

test('a damaged #Log-type falls back to the #Fields columns, ECP included; columns that mark no log stay unknown', () => {
  const head = (logType: string, fields: string) =>
    `#Software: Microsoft Exchange Server\r\n#Version: 15.1.2176.2\r\n#Log-type: ${logType}\r\n#Fields: ${fields}\r\n`;
  assert.equal(sniffExchangeCsv(head('ECP Serv\u0000r Log', 'TimeStamp,ServerName,EventId,EventData')), 'ecp-server');
  assert.equal(sniffExchangeCsv(head('HttpPr0xy Logs', 'DateTime,RequestId,AnchorMailbox,ProxyAction,BackEndCookie')), 'httpproxy');
  assert.equal(sniffExchangeCsv(head('ECP Serv\u0000r Log', 'TimeStamp,ServerName,EventId')), 'unknown');
});

test('with the log type damaged, the first #Fields line that marks a kind says it, data rows between them never', () => {
  const head = [
    '#Software: Microsoft Exchange Server',
    '#Log-type: ???',
    '#Fields: a,b,c',
    'AnchorMailbox,ProxyAction,BackendCookie',
    '#Fields: DateTime,AnchorMailbox,ProxyAction,BackendCookie',
    '#Fields: Cmdlet,Parameters,ExecutingUserSid',
  ].join('\r\n');
  assert.equal(sniffExchangeCsv(head), 'httpproxy');
  assert.equal(sniffExchangeCsv(head.replace('#Fields: DateTime', 'x#Fields: DateTime')), 'rps-cmdlet');
  assert.equal(sniffExchangeCsv('\uFEFF#Software: Microsoft Exchange Server\n#Fields: a,b'), 'unknown');
  assert.equal(sniffExchangeCsv('\uFEFFx#Software: Microsoft Exchange Server\n'), undefined);
});

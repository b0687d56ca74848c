// The dashboard's only static files, served from the package: one style sheet and one small
// script. Nothing else is served, and no page loads anything from another origin.

const CSS = `
:root { --ink: #1b1b1b; --muted: #4a4a4a; --line: #c4c4c4; --bad: #a40000; --warn: #7a4f00; --ok: #1d5e20; --focus: #0a58ca; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); background: #fff; margin: 0; font-size: 15px; line-height: 1.45; }
header { background: #12263a; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
header a { color: #fff; }
header .who { margin-left: auto; font-size: 13px; }
header form { display: inline; }
nav.case { border-bottom: 1px solid var(--line); padding: 6px 16px; display: flex; gap: 14px; flex-wrap: wrap; background: #f4f6f8; }
nav.case a[aria-current="page"] { font-weight: bold; text-decoration: none; color: var(--ink); }
main { padding: 12px 16px 40px; max-width: 1300px; }
h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 18px; margin: 22px 0 6px; }
a { color: #0b4f9c; } a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #e9edf1; }
th[scope="row"], thead th, td.ref { white-space: nowrap; }
.verdict, .ip { white-space: nowrap; }
.overdue, .bad { color: var(--bad); font-weight: bold; }
.warn { color: var(--warn); } .ok { color: var(--ok); } .muted { color: var(--muted); }
.verdict { font-weight: bold; }
.verdict-exploited, .verdict-post-exploitation { color: var(--bad); }
.verdict-exploit-attempted, .verdict-probed { color: var(--warn); }
.verdict-clean { color: var(--ok); }
.box { border: 1px solid var(--line); border-left: 4px solid #12263a; padding: 6px 10px; margin: 8px 0; background: #fafafa; }
.box.open { border-left-color: #b07900; background: #fff9e6; }
.box.gaps { border-left-color: #666; }
form.inline { display: inline; }
form.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 8px 0; }
form.filters label, form.stack label { display: flex; flex-direction: column; font-size: 13px; }
form.stack { display: grid; gap: 8px; max-width: 640px; margin: 8px 0 16px; }
input, select, textarea, button { font: inherit; }
button { background: #12263a; color: #fff; border: 0; padding: 5px 12px; border-radius: 3px; cursor: pointer; }
button.secondary { background: #e9edf1; color: var(--ink); border: 1px solid var(--line); }
pre, code, .mono { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
.flash { padding: 6px 10px; margin: 8px 0; border: 1px solid; }
.flash.ok { border-color: var(--ok); background: #eef7ee; } .flash.bad { border-color: var(--bad); background: #fbeeee; }
svg text { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 12px; fill: #1b1b1b; }
svg .node { fill: #eef3f8; stroke: #12263a; } svg .node.shell { fill: #fbeeee; stroke: #a40000; } svg .edge { stroke: #555; fill: none; }
svg .bar { fill: #3a6ea5; } svg a:focus .bar, svg a:hover .bar { fill: #a40000; }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: #fff; color: #000; padding: 4px; }
@media print {
  header, nav.case, form, button, .noprint { display: none !important; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  tr { break-inside: avoid; }
}
`;

// Progressive: every page works without it. It makes the clocks tick and saves the session graph.
const JS = `
'use strict';
(function () {
  function span(ms) {
    var t = Math.floor(Math.abs(ms) / 1000), d = Math.floor(t / 86400), h = Math.floor(t % 86400 / 3600), m = Math.floor(t % 3600 / 60), s = t % 60;
    return (d ? d + ' d ' : '') + (d || h ? h + ' h ' : '') + m + ' min ' + (d ? '' : s + ' s');
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll('[data-due]').forEach(function (el) {
      var due = Date.parse(el.getAttribute('data-due'));
      if (isNaN(due)) return;
      var left = due - now;
      el.textContent = left >= 0 ? span(left) + ' left' : 'overdue by ' + span(left);
      el.classList.toggle('overdue', left < 0);
    });
  }
  tick();
  setInterval(tick, 1000);
  var png = document.getElementById('save-png');
  var svg = document.getElementById('session-graph');
  if (png && svg) {
    png.hidden = false;
    png.addEventListener('click', function () {
      var data = new XMLSerializer().serializeToString(svg);
      var url = URL.createObjectURL(new Blob([data], { type: 'image/svg+xml' }));
      var img = new Image();
      img.onload = function () {
        var c = document.createElement('canvas');
        c.width = svg.viewBox.baseVal.width * 2; c.height = svg.viewBox.baseVal.height * 2;
        var g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height); g.scale(2, 2); g.drawImage(img, 0, 0);
        URL.revokeObjectURL(url);
        var a = document.createElement('a'); a.download = png.getAttribute('data-name') || 'sessions.png'; a.href = c.toDataURL('image/png'); a.click();
      };
      img.src = url;
    });
  }
})();
`;

export const ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ['app.css', { type: 'text/css; charset=utf-8', body: CSS }],
  ['app.js', { type: 'text/javascript; charset=utf-8', body: JS }],
]);

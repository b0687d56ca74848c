// The text of every XML part of a DOCX (a zip): what Word shows and what its properties carry, so a
// test can look for what must not be in the document anywhere.

import yauzl from 'yauzl';

function entries(buf: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, string>();
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('.xml')) return zip.readEntry();
        zip.openReadStream(entry, (e2, stream) => {
          if (e2) return reject(e2);
          const chunks: Buffer[] = [];
          stream.on('data', (d: Buffer) => chunks.push(d));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

const unescapeXml = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Each XML part's text, tags taken out (a paragraph or property ends a line), by part name. */
export async function docxText(buf: Buffer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [name, xml] of await entries(buf)) {
    out.set(name, unescapeXml(xml.replace(/<\/(?:w:p|dc:[a-z]+|cp:[a-z]+|dcterms:[a-z]+)>/g, '\n').replace(/<[^>]+>/g, '')));
  }
  return out;
}

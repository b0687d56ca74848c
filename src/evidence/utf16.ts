/**
 * Whether a file's first bytes are UTF-16LE text: its byte-order mark, or ASCII-range text with every
 * other byte zero (PowerShell 5.1's `Out-File` and `>` write UTF-16LE with a BOM; some tools drop it).
 */
export function looksUtf16le(head: Buffer): boolean {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return true;
  if (head.length < 8) return false;
  for (let i = 0; i < 8; i += 2) if (head[i] === 0 || head[i + 1] !== 0) return false;
  return true;
}

/** UTF-16LE chunks as UTF-8, a character split across chunks kept whole; the byte-order mark dropped. */
export async function* utf16leToUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder('utf-16le');
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  const tail = decoder.decode();
  if (tail) yield Buffer.from(tail, 'utf8');
}

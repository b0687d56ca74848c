// The text a reader sees on an HTML page the packs render: the style sheet and tags dropped, the
// numeric and ampersand entities read back, so a test searches what the page says.

export function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');
}

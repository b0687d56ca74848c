// Splits one record's text into values. The rules match the scanner's separator count exactly: a
// quote opens a quoted value only at the start of a value, `""` inside it is one quote, and text
// after a closing quote is kept as it stands (lenient, so nothing written is lost).

export function splitQuoted(text: string, separator: string): string[] {
  const values: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          value += text.slice(i);
          i = n;
          break;
        }
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    }
    const next = text.indexOf(separator, i);
    if (next === -1) {
      values.push(value + text.slice(i));
      return values;
    }
    values.push(value + text.slice(i, next));
    i = next + 1;
  }
}

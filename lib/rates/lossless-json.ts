// JSON.parse turns 97123.45 into a binary float before we can see its digits, and Node 20 has no
// reviver `context.source` to recover them. Rather than trust that a float survives String(n),
// this rewrites every number literal outside a string into a string literal of the same digits
// before handing the text to JSON.parse: prices come out as their exact decimal text, and
// JSON.parse still validates the document's structure.

// The JSON number grammar (RFC 8259 §6), anchored at the scan position.
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Like JSON.parse, but every JSON number is returned as its literal text ("97123.45", "1732262400"). */
export function parseJsonNumbersAsStrings(text: string): unknown {
  const out: string[] = [];
  let i = 0;
  let copiedFrom = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      // Skip the whole string literal, honouring backslash escapes.
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i++;
      continue;
    }
    if (ch === 0x2d /* - */ || (ch >= 0x30 && ch <= 0x39)) {
      JSON_NUMBER.lastIndex = i;
      const match = JSON_NUMBER.exec(text);
      if (!match) throw new SyntaxError(`Invalid number in JSON at position ${i}`);
      out.push(text.slice(copiedFrom, i), `"${match[0]}"`);
      i += match[0].length;
      copiedFrom = i;
      continue;
    }
    i++;
  }
  out.push(text.slice(copiedFrom));
  return JSON.parse(out.join("")) as unknown;
}

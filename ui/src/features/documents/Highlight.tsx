import type { Part } from "../../bindings";

/** Text with the pieces the search matched marked. */
export function Parts({ parts }: { parts: Part[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.hit ? (
          <mark key={i} className="search-hit" data-testid="search-hit">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

/** The same search's normalisation, for the words of an opened document: full-width forms
 *  halved and letters lower-cased. (Traditional forms are matched by the core's results;
 *  here the words come from the core already simplified.) */
function fold(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0).toLowerCase();
  return c.toLowerCase();
}

/** Splits `text` into parts where any of `words` occurs. */
export function markWords(text: string, words: string[]): Part[] {
  const wanted = words.filter((w) => w.length > 0).map((w) => Array.from(w).map(fold).join(""));
  if (wanted.length === 0) return [{ text, hit: false }];
  const chars = Array.from(text);
  const folded = chars.map(fold);
  const hit = new Array<boolean>(chars.length).fill(false);
  for (const w of wanted) {
    const wc = Array.from(w);
    for (let i = 0; i + wc.length <= folded.length; i++) {
      let same = true;
      for (let j = 0; j < wc.length; j++) {
        if (folded[i + j] !== wc[j]) {
          same = false;
          break;
        }
      }
      if (same) for (let j = 0; j < wc.length; j++) hit[i + j] = true;
    }
  }
  const parts: Part[] = [];
  chars.forEach((c, i) => {
    const on = hit[i] ?? false;
    const last = parts[parts.length - 1];
    if (last && last.hit === on) last.text += c;
    else parts.push({ text: c, hit: on });
  });
  return parts;
}

export function Marked({ text, words }: { text: string; words: string[] }) {
  return <Parts parts={markWords(text, words)} />;
}

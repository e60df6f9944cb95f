// Writes the HuggingFace tokenizers fixtures of Automata.Tests (BpeHuggingFaceTests): a byte-level BPE tokenizer.json
// trained by the library itself, and its encodings of probe strings. The library's Rust core through its Node binding:
//   cd tests/Automata.Tests/Fixtures/tokenizers && npm install tokenizers@0.23.2 && node make-fixtures.mjs
import fs from "fs";
import tokenizers from "tokenizers";

const { Tokenizer, BPE, byteLevelPreTokenizer } = tokenizers;

// A deterministic corpus: words from a small lexicon with spaces, punctuation, digits and some non-ASCII text.
const lexicon = ["the", "model", "is", "tight", "language", "string", "prefix", "probability", "automaton", "grammar",
  "token", "merge", "pair", "über", "naïve", "日本語", "😀", "x", "aaa", "42", "3.14", "don't", "it's", "(a|b)*"];
let state = 12345;
const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
const lines = [];
for (let i = 0; i < 300; i++) {
  const words = [];
  for (let j = 0, n = 3 + Math.floor(next() * 10); j < n; j++)
    words.push(next() < 0.5 ? lexicon[Math.floor(next() * lexicon.length)]
      : Array.from({ length: 2 + Math.floor(next() * 6) }, () => "abcdefghij"[Math.floor(next() * 10)]).join(""));
  lines.push(words.join(next() < 0.2 ? "  " : " ") + (next() < 0.3 ? "." : ""));
}
fs.writeFileSync("corpus.txt", lines.join("\n") + "\n");

const tokenizer = new Tokenizer(BPE.empty());
tokenizer.setPreTokenizer(byteLevelPreTokenizer(false, true));
tokenizer.train(["corpus.txt"]);
tokenizer.save("bytelevel-gpt2.json", true);

const probes = ["the model is tight", "  über naïve 日本語 😀", "don't merge (a|b)*aaa 3.14", "unseen words: zebra, Ωmega!", ""];
const expected = [];
for (const text of probes) expected.push({ text, ids: (await tokenizer.encode(text)).getIds() });
fs.writeFileSync("bytelevel-gpt2.expected.json", JSON.stringify(expected, null, 1) + "\n");
fs.unlinkSync("corpus.txt");
console.log(`vocabulary ${tokenizer.getVocabSize()}, ${probes.length} probes`);

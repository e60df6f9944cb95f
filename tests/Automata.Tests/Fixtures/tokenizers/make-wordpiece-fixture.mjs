// Writes wordpiece.json and wordpiece.expected.json: a WordPiece tokenizer.json built and saved by HuggingFace tokenizers
// (0.23.2, its Rust core through the Node binding) with its encodings of probe strings (BpeHuggingFaceTests).
//   npm install tokenizers@0.23.2 && node make-wordpiece-fixture.mjs
import fs from "fs";
import tokenizers from "tokenizers";

const { Tokenizer, WordPiece } = tokenizers;
const pieces = ["t", "h", "e", "c", "a", "s", "u", "n", "f", "b", "l", " ", "the", " the", "un", " c", " s", "##h", "##e", "##a", "##t", "##s",
  "##n", "##f", "##b", "##l", "##u", "##at", "##aff", "##able", "##he", "##ly"];
const vocab = Object.fromEntries(pieces.map((p, i) => [p, i]));
vocab["[UNK]"] = pieces.length;
const tokenizer = new Tokenizer(WordPiece.init(vocab, { unkToken: "[UNK]", continuingSubwordPrefix: "##", maxInputCharsPerWord: 100 }));
// No pre-tokenizer: each probe is one word (the binding builds Split patterns as literal strings, not regexes).
tokenizer.save("wordpiece.json", true);
const probes = ["unaffable", "thethe", "cats", "xyzcat", "the cat", "unhelably", " the"];
const expected = [];
for (const text of probes) expected.push({ text, ids: (await tokenizer.encode(text)).getIds() });
fs.writeFileSync("wordpiece.expected.json", JSON.stringify(expected, null, 1) + "\n");
console.log(`vocabulary ${tokenizer.getVocabSize()}`);

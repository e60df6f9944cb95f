// The anchor of `workbench bench tok`: HuggingFace tokenizers (its Rust core, through the Node binding) on the same corpus.
// Byte-level BPE with GPT-2's pattern (the workbench's --units Bytes --pre-tokenization Gpt2). The binding trains only with
// the library's default trainer (|V| = 30,000), so compare training with `workbench bench tok CORPUS --vocab-size 30000`.
// Given a tokenizer.json as well (e.g. the workbench's own |V| = 8,000 tokenizer, written with --format HuggingFace), it
// skips training and encodes the corpus with that file, for encoding at any vocabulary size.
//   npm install tokenizers@0.23.2 && RAYON_NUM_THREADS=2 node bench/tokenizers-anchor.mjs CORPUS [TOKENIZER.json]
import fs from "fs";
import tokenizers from "tokenizers";

const [corpus, file] = process.argv.slice(2);
const { Tokenizer, BPE, byteLevelPreTokenizer } = tokenizers;
let tokenizer;
let training = null;
if (file) tokenizer = Tokenizer.fromFile(file);
else {
  tokenizer = new Tokenizer(BPE.empty());
  tokenizer.setPreTokenizer(byteLevelPreTokenizer(false, true));
  const start = process.hrtime.bigint();
  tokenizer.train([corpus]);
  training = Number(process.hrtime.bigint() - start) / 1e9;
}

const lines = fs.readFileSync(corpus, "utf8").split("\n").slice(0, -1);
const start = process.hrtime.bigint();
let tokens = 0;
for (let i = 0; i < lines.length; i += 4096)
  for (const encoding of await tokenizer.encodeBatch(lines.slice(i, i + 4096))) tokens += encoding.getLength();
const encoding = Number(process.hrtime.bigint() - start) / 1e9;
const bytes = Buffer.byteLength(lines.join("\n") + "\n", "utf8");
console.log(JSON.stringify({ vocabularySize: tokenizer.getVocabSize(), trainingSeconds: training, encodingSeconds: encoding, tokens,
  megabytesPerSecond: bytes / 1e6 / encoding, peakRssMegabytes: process.resourceUsage().maxRSS / 1e3 }));

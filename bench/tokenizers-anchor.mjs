// The anchor of `workbench bench tok`: HuggingFace tokenizers (its Rust core, through the Node binding) on the same corpus.
// Byte-level BPE with GPT-2's pattern (the workbench's --units Bytes --pre-tokenization Gpt2); the binding's trainer is the
// library's default (|V| = 30,000), so compare with `workbench bench tok CORPUS --vocab-size 30000` as well.
//   npm install tokenizers@0.23.2 && RAYON_NUM_THREADS=2 node bench/tokenizers-anchor.mjs CORPUS
import fs from "fs";
import tokenizers from "tokenizers";

const corpus = process.argv[2];
const { Tokenizer, BPE, byteLevelPreTokenizer } = tokenizers;
const tokenizer = new Tokenizer(BPE.empty());
tokenizer.setPreTokenizer(byteLevelPreTokenizer(false, true));
let start = process.hrtime.bigint();
tokenizer.train([corpus]);
const training = Number(process.hrtime.bigint() - start) / 1e9;

const lines = fs.readFileSync(corpus, "utf8").split("\n").slice(0, -1);
start = process.hrtime.bigint();
let tokens = 0;
for (let i = 0; i < lines.length; i += 4096)
  for (const encoding of await tokenizer.encodeBatch(lines.slice(i, i + 4096))) tokens += encoding.getLength();
const encoding = Number(process.hrtime.bigint() - start) / 1e9;
const bytes = Buffer.byteLength(lines.join("\n") + "\n", "utf8");
console.log(JSON.stringify({ vocabularySize: tokenizer.getVocabSize(), trainingSeconds: training, encodingSeconds: encoding, tokens,
  megabytesPerSecond: bytes / 1e6 / encoding, peakRssMegabytes: process.resourceUsage().maxRSS / 1e3 }));

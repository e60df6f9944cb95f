// Cross-check: the tokenizers library loads a tokenizer.json written by `workbench tok train --format HuggingFace` and
// encodes the lines of PROBES as `workbench tok encode TOK <lines> --json > OURS` did:
//   node check-workbench-file.mjs TOK PROBES OURS   (after npm install tokenizers@0.23.2)
import fs from "fs";
import tokenizers from "tokenizers";
const [file, probesFile, oursFile] = process.argv.slice(2);
const tokenizer = tokenizers.Tokenizer.fromFile(file);
const probes = fs.readFileSync(probesFile, "utf8").split("\n").slice(0, -1);
const ours = JSON.parse(fs.readFileSync(oursFile, "utf8")).texts;
let same = 0;
for (let i = 0; i < probes.length; i++) {
  const ids = (await tokenizer.encode(probes[i])).getIds();
  if (JSON.stringify(ids) === JSON.stringify(ours[i].ids)) same++;
  else if (same >= 0) { console.log("DIFF", JSON.stringify(probes[i]).slice(0, 80), JSON.stringify(ids).slice(0, 80), JSON.stringify(ours[i].ids).slice(0, 80)); }
}
console.log(`${file}: ${same}/${probes.length} identical`);

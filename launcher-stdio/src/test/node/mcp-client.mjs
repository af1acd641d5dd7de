// Runs one MCP session against a server started over STDIO, with the official TypeScript SDK
// client, and prints what happened as JSON on stdout.
//
// Input (argv[2], JSON): {"command": "...", "args": [...], "env": {...},
//                         "steps": [{"op": "list"} | {"op": "call", "name": "...", "arguments": {...},
//                                    "progress": true (ask for progress; the notifications come back in "progress"),
//                                    "tokenFrom": i (add the confirmationToken that result i asked for)}
//                                   | {"op": "sleep", "ms": 1000}],
//                         "elicitation": "accept" | "decline" (declare elicitation and answer every question so)}
// Output: {"server": {...}, "results": [<tools/list result> | <tools/call result> | {"error": "..."}],
//          "elicitations": [<questions the server asked>]}
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const spec = JSON.parse(process.argv[2]);
const transport = new StdioClientTransport({
  command: spec.command,
  args: spec.args,
  env: spec.env,
  stderr: "pipe",
});
let serverLog = "";
transport.stderr?.on("data", (d) => { serverLog += d.toString(); });

const client = new Client({ name: "ms365-mcp-e2e", version: "1.0.0" },
  spec.elicitation ? { capabilities: { elicitation: {} } } : undefined);
const out = { results: [], elicitations: [] };
if (spec.elicitation) {
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    out.elicitations.push(request.params);
    return spec.elicitation === "accept" ? { action: "accept", content: { confirm: true } } : { action: "decline" };
  });
}
const tokenIn = (result) => /"confirmationToken": "([A-Za-z0-9_-]+)"/.exec(result?.content?.[0]?.text ?? "")?.[1];
try {
  await client.connect(transport);
  out.server = client.getServerVersion();
  for (const step of spec.steps) {
    try {
      if (step.op === "sleep") {
        await new Promise((r) => setTimeout(r, step.ms));
        out.results.push({ slept: step.ms });
        continue;
      }
      if (step.tokenFrom !== undefined) {
        step.arguments = { ...step.arguments, confirmationToken: tokenIn(out.results[step.tokenFrom]) ?? "none" };
      }
      if (step.op === "list") {
        out.results.push(await client.listTools());
      } else if (step.op === "call" && step.progress) {
        const progress = [];
        const result = await client.callTool({ name: step.name, arguments: step.arguments ?? {} }, undefined,
          { onprogress: (p) => progress.push(p) });
        out.results.push({ ...result, progress });
      } else if (step.op === "call") {
        out.results.push(await client.callTool({ name: step.name, arguments: step.arguments ?? {} }));
      } else {
        throw new Error(`unknown step ${step.op}`);
      }
    } catch (e) {
      out.results.push({ error: String(e?.message ?? e) });
    }
  }
} catch (e) {
  out.fatal = String(e?.message ?? e);
} finally {
  await client.close().catch(() => {});
}
out.serverLog = serverLog;
process.stdout.write(JSON.stringify(out));

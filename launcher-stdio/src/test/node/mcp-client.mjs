// Runs one MCP session against a server started over STDIO, with the official TypeScript SDK
// client, and prints what happened as JSON on stdout.
//
// Input (argv[2], JSON): {"command": "...", "args": [...], "env": {...},
//                         "steps": [{"op": "list"} | {"op": "call", "name": "...", "arguments": {...},
//                                    "progress": true (ask for progress; the notifications come back in "progress")}]}
// Output: {"server": {...}, "results": [<tools/list result> | <tools/call result> | {"error": "..."}]}
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const spec = JSON.parse(process.argv[2]);
const transport = new StdioClientTransport({
  command: spec.command,
  args: spec.args,
  env: spec.env,
  stderr: "pipe",
});
let serverLog = "";
transport.stderr?.on("data", (d) => { serverLog += d.toString(); });

const client = new Client({ name: "ms365-mcp-e2e", version: "1.0.0" });
const out = { results: [] };
try {
  await client.connect(transport);
  out.server = client.getServerVersion();
  for (const step of spec.steps) {
    try {
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

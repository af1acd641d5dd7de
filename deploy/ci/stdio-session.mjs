// One MCP STDIO session with a server command, as `docker exec -i ms365-mcp-server java @/app/stdio.args`
// runs one: initialize, notifications/initialized, tools/list; prints the tool count and the time to
// the tools/list answer. Exit 1 when no tools come back within the time limit.
//   node stdio-session.mjs COMMAND ARG...
import { spawn } from "node:child_process";
import readline from "node:readline";

const [command, ...args] = process.argv.slice(2);
const started = process.hrtime.bigint();
const server = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
const pending = new Map();
let answered = false;
server.on("error", (e) => { console.error(`cannot start ${command}: ${e.message}`); process.exit(1); });
server.on("exit", (code) => { if (!answered) { console.error(`the server exited (${code}) before answering tools/list`); process.exit(1); } });
readline.createInterface({ input: server.stdout }).on("line", (line) => {
  let message;
  try { message = JSON.parse(line); } catch { console.error(`stdout is not JSON-RPC: ${line.slice(0, 200)}`); process.exit(1); }
  pending.get(message.id)?.(message);
});
const request = (id, method, params) => new Promise((resolve) => {
  pending.set(id, resolve);
  server.stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n");
});
const limit = setTimeout(() => { console.error("no tools/list answer within 90 s"); server.kill(); process.exit(1); }, 90_000);

const init = await request(1, "initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "deploy-check", version: "1" } });
if (!init.result) { console.error(`initialize failed: ${JSON.stringify(init)}`); process.exit(1); }
server.stdin.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) + "\n");
const list = await request(2, "tools/list", {});
const ms = Number(process.hrtime.bigint() - started) / 1e6;
answered = true;
clearTimeout(limit);
server.stdin.end();
const tools = list.result?.tools ?? [];
if (!tools.length) { console.error(`tools/list answered no tools: ${JSON.stringify(list).slice(0, 300)}`); process.exit(1); }
console.log(`STDIO session: ${init.result.serverInfo.name} ${init.result.serverInfo.version}, tools/list answered ${tools.length} tools in ${ms.toFixed(0)} ms`);
const exited = await new Promise((resolve) => { server.on("exit", (code) => resolve(code)); setTimeout(() => resolve("still running"), 20_000); });
if (exited !== 0) { console.error(`server did not exit cleanly at end of input: ${exited}`); server.kill(); process.exit(1); }

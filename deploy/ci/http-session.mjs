// Checks of the HTTP server the image runs, started by .ci/deploy-check (node:http, so Host can be set).
//   node http-session.mjs oauth BASE PUBLIC_URL    the front door as configured: health endpoints, the 401
//                                                   challenge and the metadata name PUBLIC_URL (not the Host)
//   node http-session.mjs single BASE               single-user: initialize + tools/list over /mcp
//   node http-session.mjs trap HOST PORT FILE       counts TCP connections to HOST:PORT into FILE (a stand-in
//                                                   for Entra and Graph: the server must not call them at start)
import http from "node:http";
import net from "node:net";
import fs from "node:fs";

const [mode, ...args] = process.argv.slice(2);
const fail = (message) => { console.error(`http-session: ${message}`); process.exit(1); };

function request(base, method, path, { headers = {}, body } = {}) {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout: 20_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { text += c; });
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in 20 s`)));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A JSON-RPC answer from a Streamable HTTP response: plain JSON or the last SSE data event with an id. */
function rpcAnswer(res) {
  if (/^application\/json/.test(res.headers["content-type"] ?? "")) return JSON.parse(res.text);
  const events = res.text.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => JSON.parse(l.slice(5)));
  return events.reverse().find((e) => e.id !== undefined);
}

async function health(base) {
  for (const path of ["/healthz", "/readyz", "/"]) {
    const res = await request(base, "GET", path);
    if (res.status !== 200) fail(`GET ${path}: ${res.status} ${res.text.slice(0, 200)}`);
  }
  const root = JSON.parse((await request(base, "GET", "/")).text);
  if (root.message !== "Microsoft 365 MCP Server is running") fail(`GET /: ${JSON.stringify(root)}`);
}

if (mode === "oauth") {
  const [base, publicUrl] = args;
  await health(base);
  const host = new URL(publicUrl).host;
  const challenge = await request(base, "POST", "/mcp", {
    headers: { host, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }),
  });
  const expected = `resource_metadata="${publicUrl}/.well-known/oauth-protected-resource/mcp"`;
  if (challenge.status !== 401 || !(challenge.headers["www-authenticate"] ?? "").includes(expected)) {
    fail(`POST /mcp without a token: expected 401 with ${expected}, got ${challenge.status} ${challenge.headers["www-authenticate"]}`);
  }
  const meta = await request(base, "GET", "/.well-known/oauth-authorization-server", { headers: { host } });
  const issuer = meta.status === 200 ? JSON.parse(meta.text).issuer : null;
  if (issuer !== publicUrl) fail(`authorization server metadata: issuer ${issuer}, expected ${publicUrl}`);
  console.log(`HTTP (OAuth front door): /healthz /readyz / answer 200; /mcp asks for a token with resource metadata at ${publicUrl}; issuer ${issuer}`);
} else if (mode === "single") {
  const [base] = args;
  await health(base);
  const headers = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" };
  const started = process.hrtime.bigint();
  const init = await request(base, "POST", "/mcp", { headers, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "deploy-check", version: "1" } } }) });
  if (init.status !== 200) fail(`initialize: ${init.status} ${init.text.slice(0, 300)}`);
  const session = init.headers["mcp-session-id"];
  if (session) headers["mcp-session-id"] = session;
  await request(base, "POST", "/mcp", { headers, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) });
  const list = await request(base, "POST", "/mcp", { headers, body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} }) });
  const tools = list.status === 200 ? rpcAnswer(list)?.result?.tools ?? [] : [];
  if (!tools.length) fail(`tools/list: ${list.status} ${list.text.slice(0, 300)}`);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (session) await request(base, "DELETE", "/mcp", { headers });
  console.log(`HTTP (single user): ${rpcAnswer(init).result.serverInfo.name}, tools/list over /mcp answered ${tools.length} tools in ${ms.toFixed(0)} ms`);
} else if (mode === "trap") {
  const [host, port, file] = args;
  let count = 0;
  fs.writeFileSync(file, "0\n");
  net.createServer((socket) => { count += 1; fs.writeFileSync(file, `${count}\n`); socket.destroy(); })
    .listen(Number(port), host, () => console.log(`trap listening on ${host}:${port}`));
} else {
  fail("usage: http-session.mjs oauth BASE PUBLIC_URL | single BASE | trap HOST PORT FILE");
}

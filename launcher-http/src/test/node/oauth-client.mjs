// Runs MCP sessions against the HTTP server with the official TypeScript SDK client and its OAuth
// support, as a remote client (Claude Code, VS Code...) would, and prints what happened as JSON.
//
// The browser is scripted: it follows 301/302/303 redirects (a 307/308 fails the run: a browser would
// re-POST), keeps cookies per host, submits the first form of every HTML page (the consent form, the
// fake Entra sign-in, Entra's auto-submitting form_post page) with the first submit button's value,
// and stops at the first URL that starts with the redirect URI, where it checks state and keeps code.
//
// Input (argv[2], JSON):
//   {"url": "http://127.0.0.1:PORT/mcp", "redirectUrl": "http://127.0.0.1:PORT/callback",
//    "stateFile": "/path/client-state.json" (optional: registration and tokens kept between runs),
//    "steps": [{"op": "list"} | {"op": "call", "name": "...", "arguments": {...}} | {"op": "sleep", "ms": N}
//              | {"op": "reconnect"} (a new transport and session, same OAuth state)],
//    "elicitation": "accept" | "decline" (optional: declare elicitation and answer every question so),
//    "bearer": "..." (optional: no OAuth; this token in a static Authorization header, as an agent that got
//                     an Entra token for the server's API sends it with --obo)}
// Output: {"results": [...], "authorizations": N (browser flows run), "tokenRequests": [...grant types],
//          "visited": [...origins+paths the browser saw], "elicitations": [...questions asked], "fatal"?: "..."}
// Without a 401 from the server (e.g. --single-user on loopback) no OAuth happens: a plain Streamable HTTP client.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const spec = JSON.parse(process.argv[2]);
const out = { results: [], authorizations: 0, tokenRequests: [], visited: [], elicitations: [] };
const saved = spec.stateFile && existsSync(spec.stateFile) ? JSON.parse(readFileSync(spec.stateFile, "utf8")) : {};
let pendingCode = null;

function persist() {
  if (spec.stateFile) {
    writeFileSync(spec.stateFile, JSON.stringify(saved));
  }
}

const provider = {
  get redirectUrl() { return spec.redirectUrl; },
  get clientMetadata() {
    return {
      client_name: "ms365-mcp e2e client",
      redirect_uris: [spec.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  },
  state() {
    saved.state = crypto.randomUUID();
    return saved.state;
  },
  clientInformation() { return saved.client; },
  saveClientInformation(info) { saved.client = info; persist(); },
  tokens() { return saved.tokens; },
  saveTokens(tokens) { saved.tokens = tokens; persist(); },
  saveCodeVerifier(v) { saved.verifier = v; },
  codeVerifier() { return saved.verifier; },
  invalidateCredentials(scope) {
    if (scope === "all" || scope === "client") delete saved.client;
    if (scope === "all" || scope === "tokens") delete saved.tokens;
    persist();
  },
  async redirectToAuthorization(url) {
    out.authorizations++;
    const landed = await browse(url.href);
    if (landed.searchParams.get("state") !== saved.state) {
      throw new Error(`state mismatch at the redirect URI: ${landed.searchParams.get("state")}`);
    }
    if (landed.searchParams.get("error")) {
      throw new Error(`authorization failed: ${landed.searchParams.get("error")} ${landed.searchParams.get("error_description") ?? ""}`);
    }
    pendingCode = landed.searchParams.get("code");
  },
};

// Counts token requests by grant type (the SDK makes them with the global fetch).
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const body = init?.body;
  if (body instanceof URLSearchParams && body.get("grant_type")) {
    out.tokenRequests.push(body.get("grant_type"));
  }
  return realFetch(input, init);
};

function firstForm(html) {
  const m = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!m) return null;
  const attr = (tag, name) => {
    const a = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
    return a ? decode(a[2] ?? a[3] ?? a[4]) : null;
  };
  const fields = new URLSearchParams();
  let submitted = false;
  for (const t of m[2].matchAll(/<(input|button|textarea)\b([^>]*)>/gi)) {
    const tag = t[2];
    const name = attr(tag, "name");
    const type = (attr(tag, "type") ?? (t[1].toLowerCase() === "button" ? "submit" : "text")).toLowerCase();
    if (!name) continue;
    if (type === "submit") {
      if (!submitted) { fields.append(name, attr(tag, "value") ?? ""); submitted = true; }
    } else if (type !== "checkbox" && type !== "radio" || /\bchecked\b/i.test(tag)) {
      fields.append(name, attr(tag, "value") ?? "");
    }
  }
  return { action: attr(m[1], "action"), method: (attr(m[1], "method") ?? "get").toUpperCase(), fields };
}

function decode(s) {
  return s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)));
}

async function browse(start) {
  const cookies = new Map(); // host -> Map(name -> value)
  let url = start, method = "GET", body = null;
  for (let hop = 0; hop < 25; hop++) {
    if (url.startsWith(spec.redirectUrl)) return new URL(url);
    const u = new URL(url);
    out.visited.push(`${method} ${u.origin}${u.pathname}`);
    const jar = cookies.get(u.host) ?? new Map();
    const headers = { accept: "text/html" };
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    if (body !== null) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await realFetch(url, { method, body, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    cookies.set(u.host, jar);
    if ([301, 302, 303].includes(res.status)) {
      url = new URL(res.headers.get("location"), url).href; method = "GET"; body = null;
      continue;
    }
    if (res.status === 307 || res.status === 308) {
      throw new Error(`HTTP ${res.status} redirect from ${u.pathname}: a browser would re-POST`);
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status} at ${u.pathname}: ${html.slice(0, 300)}`);
    const form = firstForm(html);
    if (!form) throw new Error(`no form on the page at ${u.pathname}`);
    const target = new URL(form.action ?? url, url);
    if (form.method === "GET") {
      for (const [k, v] of form.fields) target.searchParams.set(k, v);
      url = target.href; method = "GET"; body = null;
    } else {
      url = target.href; method = "POST"; body = form.fields.toString();
    }
  }
  throw new Error("too many hops in the browser flow");
}

let client, transport;
function newClient() {
  const c = new Client({ name: "ms365-mcp-e2e", version: "1.0.0" },
    spec.elicitation ? { capabilities: { elicitation: {} } } : undefined);
  if (spec.elicitation) {
    c.setRequestHandler(ElicitRequestSchema, async (request) => {
      out.elicitations.push(request.params);
      return spec.elicitation === "accept" ? { action: "accept", content: { confirm: true } } : { action: "decline" };
    });
  }
  return c;
}

async function connect() {
  if (spec.bearer) {
    transport = new StreamableHTTPClientTransport(new URL(spec.url),
      { requestInit: { headers: { Authorization: `Bearer ${spec.bearer}` } } });
    client = newClient();
    await client.connect(transport);
    return;
  }
  transport = new StreamableHTTPClientTransport(new URL(spec.url), { authProvider: provider });
  client = newClient();
  try {
    await client.connect(transport);
  } catch (e) {
    if (!(e instanceof UnauthorizedError) || !pendingCode) throw e;
    await transport.finishAuth(pendingCode);
    pendingCode = null;
    transport = new StreamableHTTPClientTransport(new URL(spec.url), { authProvider: provider });
    client = newClient();
    await client.connect(transport);
  }
}

try {
  await connect();
  for (const step of spec.steps) {
    try {
      if (step.op === "list") {
        out.results.push(await client.listTools());
      } else if (step.op === "call") {
        out.results.push(await client.callTool({ name: step.name, arguments: step.arguments ?? {} }));
      } else if (step.op === "sleep") {
        await new Promise((r) => setTimeout(r, step.ms));
        out.results.push({ slept: step.ms });
      } else if (step.op === "reconnect") {
        await client.close().catch(() => {});
        await connect();
        out.results.push({ reconnected: true });
      } else {
        throw new Error(`unknown step ${step.op}`);
      }
    } catch (e) {
      out.results.push({ error: String(e?.message ?? e) });
    }
  }
} catch (e) {
  out.fatal = String(e?.stack ?? e?.message ?? e);
} finally {
  await client?.close().catch(() => {});
}
process.stdout.write(JSON.stringify(out));

// The rules deploy/ must keep, as functions of file contents (so policy.test.mjs can also show that
// each rule catches its violation). Used by .ci/deploy-check through check.mjs.
import fs from "node:fs";
import path from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { validate as lintDockerfileText } from "dockerfile-utils";
import YAML from "yaml";
import Ajv from "ajv";
import * as k8sClient from "@kubernetes/client-node";

export const DEPLOY = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
export const read = (rel) => fs.readFileSync(path.join(DEPLOY, rel), "utf8");

// ------------------------------------------------------------------ Dockerfile

/** dockerfile-utils diagnostics (errors and warnings) as "line N: message". */
export function lintDockerfile(text) {
  return lintDockerfileText(text).map((p) => `line ${p.range.start.line + 1}: ${p.message}`);
}

function instructions(text) {
  const parsed = DockerfileParser.parse(text);
  const stages = [];
  for (const i of parsed.getInstructions()) {
    if (i.getKeyword() === "FROM") stages.push({ from: i, instructions: [] });
    else if (stages.length) stages[stages.length - 1].instructions.push(i);
  }
  return { parsed, stages };
}

const json = (i) => (typeof i.getJSONStrings === "function" ? i.getJSONStrings().map((s) => s.getJSONValue()) : []);
const isExecForm = (i) => /^\s*(--\S+\s+)*\[/.test(i.getArgumentsContent() ?? "");

/** What the final stage runs: its ENV, USER, ENTRYPOINT, CMD and HEALTHCHECK command. */
export function finalStage(text) {
  const { stages } = instructions(text);
  const last = stages[stages.length - 1];
  const facts = { env: {}, user: null, entrypoint: [], cmd: [], healthcheck: [], volumes: [], runs: [] };
  for (const i of last.instructions) {
    switch (i.getKeyword()) {
      case "ENV": for (const p of i.getProperties()) facts.env[p.getName()] = p.getValue(); break;
      case "USER": facts.user = i.getArgumentsContent().trim(); break;
      case "ENTRYPOINT": facts.entrypoint = json(i); break;
      case "CMD": facts.cmd = json(i); break;
      case "VOLUME": facts.volumes = json(i); break;
      case "RUN": facts.runs.push(json(i)); break;
      case "HEALTHCHECK": {
        const m = /\bCMD\s+(\[.*\])\s*$/s.exec(i.getArgumentsContent());
        facts.healthcheck = m ? JSON.parse(m[1]) : [];
        break;
      }
    }
  }
  return facts;
}

/** The image rules of the issue, one message per broken rule. */
export function dockerfilePolicy(text, scriptsDir = path.join(DEPLOY, "docker")) {
  const v = [];
  const { stages } = instructions(text);
  if (stages.length < 2) v.push("multi-stage: build and runtime must be separate stages");
  for (const s of stages) {
    const image = s.from.getImage() ?? "";
    if (!/@sha256:[0-9a-f]{64}$/.test(image) && !/:[^:/@]*\d[^:/@]*$/.test(image)) {
      v.push(`FROM ${image}: pin it by digest or an exact version tag`);
    }
    if (/:latest(@|$)/.test(image)) v.push(`FROM ${image}: never :latest`);
  }
  const all = stages.flatMap((s) => s.instructions);
  for (const i of all) {
    const k = i.getKeyword();
    const args = i.getArgumentsContent() ?? "";
    if (k === "ADD" && /https?:\/\//.test(args)) v.push(`ADD ${args}: no downloads by ADD`);
    if (k === "RUN") {
      const cmd = json(i);
      if (!isExecForm(i)) v.push(`RUN ${args}: exec form, calling a script in deploy/docker/`);
      const script = cmd.find((a) => /\.sh$/.test(a));
      if (!script) v.push(`RUN ${args}: every RUN calls a script in deploy/docker/`);
      else if (!fs.existsSync(path.join(scriptsDir, path.basename(script)))) v.push(`RUN calls ${script}, which is not in deploy/docker/`);
    }
    if ((k === "ENTRYPOINT" || k === "CMD") && !isExecForm(i)) v.push(`${k} ${args}: exec form`);
  }
  const final = finalStage(text);
  if (!final.user || !/^[1-9]\d*(:\d+)?$/.test(final.user)) v.push(`USER ${final.user}: a numeric, non-root UID`);
  if (!final.entrypoint.length) v.push("ENTRYPOINT missing (exec form)");
  if (!final.healthcheck.length) v.push("HEALTHCHECK CMD [...] missing");
  else if (!final.healthcheck.some((a) => /\/healthz$/.test(a))) v.push("HEALTHCHECK must ask the HTTP health endpoint");
  if (!final.volumes.includes("/app/data")) v.push("VOLUME /app/data missing");
  if (final.env.MS365_MCP_TOKEN_CACHE_PATH !== "/app/data/msal-cache.json") v.push("ENV MS365_MCP_TOKEN_CACHE_PATH=/app/data/msal-cache.json missing");
  if (final.env.MS365_MCP_SELECTED_ACCOUNT_PATH !== "/app/data/selected-account.json") v.push("ENV MS365_MCP_SELECTED_ACCOUNT_PATH=/app/data/selected-account.json missing");
  const trains = final.runs.filter((r) => r.some((a) => a.endsWith("aot-train.sh")));
  for (const mode of ["stdio", "http"]) {
    if (!trains.some((r) => r.includes(mode))) v.push(`the final stage must train the ${mode} AOT cache (aot-train.sh)`);
  }
  if (!final.cmd.includes("@/app/http.args")) v.push("the default command must serve HTTP (@/app/http.args)");
  return v;
}

// ------------------------------------------------------------------ Compose

let composeValidator;
/** Errors of one compose file against the Compose Specification schema (as shipped by dclint). */
export function validateCompose(doc) {
  if (!composeValidator) {
    const schemaFile = path.join(path.dirname(new URL(import.meta.url).pathname), "node_modules/dclint/schemas/compose.schema.json");
    const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    composeValidator = ajv.compile(schema);
  }
  return composeValidator(doc) ? [] : composeValidator.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
}

/** Names of the variables in an .env file. */
export function envNames(text) {
  return text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).map((l) => l.split("=")[0]);
}

export const FEATURE_TOGGLES = ["MAIL", "CALENDAR", "FILES", "TEAMS", "EXCEL_POWERPOINT", "ONENOTE", "TASKS"].map((t) => `MS365_MCP_ENABLE_${t}`);
export const SEED_ENV = ["MS365_MCP_CLIENT_ID", "MS365_MCP_TENANT_ID", "MS365_MCP_ORG_MODE", "MS365_MCP_TOKEN_CACHE_PATH",
  "MS365_MCP_SELECTED_ACCOUNT_PATH", "READ_ONLY", "ENABLED_TOOLS", "LOG_LEVEL", "COMPOSE_PROJECT_NAME", ...FEATURE_TOGGLES];

const readsEnvFile = (svc) => (svc.env_file ?? []).some((e) => (typeof e === "string" ? e : e.path) === ".env");

/** The STDIO-in-Docker rules (seed: Server Setup Guide - Docker Deployment). */
export function stdioComposePolicy(doc, envExample) {
  const v = [];
  const svc = doc.services?.["ms365-mcp"];
  if (!svc) return ["service ms365-mcp missing (docker compose run --rm ms365-mcp)"];
  if (svc.container_name !== "${COMPOSE_PROJECT_NAME:-ms365-mcp}-server") v.push("container_name must be ${COMPOSE_PROJECT_NAME:-ms365-mcp}-server");
  if (svc.ports) v.push("STDIO: no ports");
  if (svc.restart !== "unless-stopped") v.push("restart: unless-stopped");
  if (svc.logging?.driver !== "local" || !svc.logging?.options?.["max-size"] || !svc.logging?.options?.["max-file"]) v.push("logging: driver local with max-size and max-file");
  if (!(svc.volumes ?? []).some((m) => /^token-cache:\/app\/data$/.test(m))) v.push("volume token-cache on /app/data");
  if (doc.volumes?.["token-cache"]?.name !== "${COMPOSE_PROJECT_NAME:-ms365-mcp}-token-cache") v.push("volume name ${COMPOSE_PROJECT_NAME:-ms365-mcp}-token-cache");
  const net = doc.networks?.default;
  if (net?.name !== "${COMPOSE_PROJECT_NAME:-ms365-mcp}-net" || net?.driver !== "bridge") v.push("network: bridge named ${COMPOSE_PROJECT_NAME:-ms365-mcp}-net");
  if (!/^\$\{MS365_MCP_ORG_MODE:-true\}$/.test(String(svc.environment?.MS365_MCP_ORG_MODE))) v.push("org mode on by default");
  if (!(svc.command ?? []).includes("--keep-tokens")) v.push("the main process is the token keeper (--keep-tokens)");
  if (!JSON.stringify(svc.healthcheck?.test ?? "").includes("--token-keeper")) v.push("healthcheck on the token keeper's status");
  if (!readsEnvFile(svc)) v.push("env_file .env: every variable of .env reaches the container");
  const names = envNames(envExample);
  for (const name of SEED_ENV) if (!names.includes(name)) v.push(`.env.example lacks ${name}`);
  return v;
}

/** What the HTTP server needs from .env (README, HTTP section; HttpSettings, the OAuth front door). */
export const HTTP_ENV = ["MS365_MCP_CLIENT_ID", "MS365_MCP_TENANT_ID", "MS365_MCP_CLIENT_SECRET", "MS365_MCP_STATE_KEY",
  "MS365_MCP_PUBLIC_URL", "MS365_MCP_TRUST_PROXY_HOPS"];

/** The HTTP compose rules (seed: the Docker/Kubernetes README). */
export function httpComposePolicy(doc, envExample) {
  const v = [];
  const svc = doc.services?.["ms365-mcp"];
  if (!svc) return ["service ms365-mcp missing"];
  if (!(svc.ports ?? []).some((p) => String(p).endsWith(":3000"))) v.push("port 3000 published");
  if (!(svc.volumes ?? []).some((m) => /:\/app\/data$/.test(m))) v.push("a volume on /app/data");
  if (!readsEnvFile(svc)) v.push("env_file .env");
  if (svc.restart !== "unless-stopped") v.push("restart: unless-stopped");
  if (!JSON.stringify(svc.healthcheck?.test ?? "").includes("/healthz")) v.push("healthcheck on /healthz");
  const env = svc.environment ?? {};
  if (!/^\$\{MS365_MCP_PUBLIC_URL(:-[^}]*)?\}$/.test(String(env.MS365_MCP_PUBLIC_URL))) v.push("MS365_MCP_PUBLIC_URL from .env");
  if (env.MS365_MCP_DATA_DIR !== "/app/data") v.push("MS365_MCP_DATA_DIR=/app/data (the volume)");
  if (envExample !== undefined) {
    const names = envNames(envExample);
    for (const name of HTTP_ENV) if (!names.includes(name)) v.push(`.env.example lacks ${name}`);
  }
  return v;
}

/** The container-to-container overlay: joins the external mcp-shared-network. */
export function sharedNetworkPolicy(doc) {
  const nets = Object.values(doc.networks ?? {});
  const shared = nets.find((n) => n.name === "mcp-shared-network");
  if (!shared || shared.external !== true) return ["an external network named mcp-shared-network"];
  return [];
}

// ------------------------------------------------------------------ Kubernetes

/** Kubernetes objects of a (multi-document) YAML text. */
export function k8sObjects(text) {
  return YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o);
}

const MODEL_PATHS = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
};

/**
 * Schema errors of one object: types, enums and required fields from kubernetes-models (the
 * Kubernetes OpenAPI schemas), and unknown fields by walking the official client's type map
 * (the API server's strict field validation rejects those too).
 */
export async function validateK8s(obj) {
  const where = `${obj.kind}/${obj.metadata?.name}`;
  const modelPath = MODEL_PATHS[obj.apiVersion];
  if (!modelPath) return [`${where}: apiVersion ${obj.apiVersion} is not one this check knows`];
  const models = await import(modelPath);
  const Model = models[obj.kind];
  if (!Model) return [`${where}: no kind ${obj.kind} in ${obj.apiVersion}`];
  const errors = [];
  try {
    new Model(obj).validate();
  } catch (e) {
    errors.push(`${where}: ${e.message}`);
  }
  const version = obj.apiVersion.split("/").pop();
  const typeName = version.charAt(0).toUpperCase() + version.slice(1) + obj.kind;
  unknownFields(obj, typeName, where, errors);
  return errors;
}

const PLAIN = new Set(["string", "number", "boolean", "Date", "any", "object", "IntOrString", "Quantity"]);

function unknownFields(value, type, at, errors) {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((x, n) => unknownFields(x, array[1], `${at}[${n}]`, errors));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === "object") for (const [k, x] of Object.entries(value)) unknownFields(x, map[1], `${at}.${k}`, errors);
    return;
  }
  if (PLAIN.has(type)) return;
  const cls = k8sClient[type];
  if (!cls || typeof cls.getAttributeTypeMap !== "function" || typeof value !== "object") return;
  const attrs = new Map(cls.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, x] of Object.entries(value)) {
    if (!attrs.has(k)) errors.push(`${at}: unknown field "${k}" (not in ${type})`);
    else unknownFields(x, attrs.get(k), `${at}.${k}`, errors);
  }
}

const server = (objects) => objects.find((o) => o.kind === "Deployment" && o.metadata.name === "ms365-mcp");
const labelled = (o) => o.spec?.template?.metadata?.labels?.["app.kubernetes.io/name"];
/** The value a container's env or envFrom gives a variable: a value, "secret:NAME/KEY", "configmap:NAME", or undefined. */
export function envSource(objects, container, name) {
  const e = (container.env ?? []).find((x) => x.name === name);
  if (e) return e.value ?? (e.valueFrom?.secretKeyRef ? `secret:${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}` : "other");
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) {
      const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === from.configMapRef.name);
      if (cm?.data?.[name] !== undefined) return cm.data[name];
    }
  }
  return undefined;
}

/** The cluster rules of the issue that every overlay keeps (HTTP server as the README's HTTP section needs it). */
export function k8sPolicy(objects) {
  const v = [];
  const find = (kind) => objects.find((o) => o.kind === kind);
  const dep = server(objects);
  if (!dep) return ["a Deployment ms365-mcp"];
  const pod = dep.spec.template.spec;
  const c = pod.containers[0];
  if (!c.livenessProbe?.httpGet) v.push("liveness probe (HTTP)");
  if (!c.readinessProbe?.httpGet) v.push("readiness probe (HTTP)");
  if (!c.resources?.requests || !c.resources?.limits) v.push("resource requests and limits");
  if (pod.securityContext?.runAsNonRoot !== true) v.push("runAsNonRoot");
  if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault") v.push("seccomp RuntimeDefault");
  if (c.securityContext?.readOnlyRootFilesystem !== true) v.push("read-only root filesystem");
  if (c.securityContext?.allowPrivilegeEscalation !== false) v.push("allowPrivilegeEscalation false");
  if (!(c.securityContext?.capabilities?.drop ?? []).includes("ALL")) v.push("capabilities drop ALL");
  const mounts = new Map((c.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
  const volumes = new Map((pod.volumes ?? []).map((x) => [x.name, x]));
  if (!volumes.get(mounts.get("/tmp"))?.emptyDir) v.push("/tmp as an emptyDir");
  if (!(c.envFrom ?? []).some((e) => e.secretRef?.name === "ms365-mcp-secrets")) v.push("a Secret reference for the app registration and state key");
  if (!(c.envFrom ?? []).some((e) => e.configMapRef)) v.push("a ConfigMap");
  if (!/^https:\/\/[^/]+$/.test(envSource(objects, c, "MS365_MCP_PUBLIC_URL") ?? "")) v.push("MS365_MCP_PUBLIC_URL: the https origin clients use");
  if (envSource(objects, c, "MS365_MCP_DATA_DIR") !== "/app/data") v.push("MS365_MCP_DATA_DIR=/app/data");
  if (!/^[1-9]$/.test(envSource(objects, c, "MS365_MCP_TRUST_PROXY_HOPS") ?? "")) v.push("MS365_MCP_TRUST_PROXY_HOPS: the Ingress in front appends to X-Forwarded-For");
  if (!mounts.has("/app/data")) v.push("a volume on /app/data");
  const svc = objects.find((o) => o.kind === "Service" && o.metadata.name === "ms365-mcp");
  if (svc?.spec?.type !== "ClusterIP" || !svc.spec.ports.some((p) => p.port === 3000)) v.push("Service ClusterIP on 3000");
  const np = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "ms365-mcp");
  const open = (np?.spec?.egress ?? []).filter((e) => !e.to);
  const openPorts = [...new Set(open.flatMap((e) => (e.ports ?? [{ port: "any" }]).map((p) => p.port)))].sort();
  if (!np || !np.spec.policyTypes.includes("Egress") || JSON.stringify(openPorts) !== JSON.stringify([443, 53])) {
    v.push("NetworkPolicy: egress only to DNS (53) and 443");
  }
  return v;
}

/** The single overlay: the seed's one replica on a 100Mi volume. */
export function singlePolicy(objects) {
  const v = [];
  const dep = server(objects);
  const pod = dep.spec.template.spec;
  const c = pod.containers[0];
  const mounts = new Map((c.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
  const volumes = new Map((pod.volumes ?? []).map((x) => [x.name, x]));
  if (dep.spec.replicas !== 1) v.push("single: one replica");
  if (dep.spec.strategy?.type !== "Recreate") v.push("single: Recreate strategy");
  const pvc = objects.find((o) => o.kind === "PersistentVolumeClaim");
  if (pvc?.spec?.resources?.requests?.storage !== "100Mi") v.push("single: a 100Mi PVC");
  if (volumes.get(mounts.get("/app/data"))?.persistentVolumeClaim?.claimName !== pvc?.metadata?.name) v.push("single: the PVC on /app/data");
  return v;
}

const matches = (selector, labels) => Object.entries(selector?.matchLabels ?? {}).every(([k, x]) => labels?.[k] === x)
  && Object.keys(selector?.matchLabels ?? {}).length > 0;

/** The scaled overlay (issue 11): replicas, disruption budget, spread, autoscaler, Redis reachable only by the server. */
export function scaledPolicy(objects) {
  const v = [];
  const dep = server(objects);
  const pod = dep.spec.template.spec;
  const c = pod.containers[0];
  const podLabels = dep.spec.template.metadata.labels;
  if (dep.spec.replicas !== 3) v.push("scaled: three replicas");
  if (dep.spec.strategy?.type !== "RollingUpdate") v.push("scaled: RollingUpdate strategy");
  const pdb = objects.find((o) => o.kind === "PodDisruptionBudget");
  if (!pdb || !matches(pdb.spec.selector, podLabels) || !(pdb.spec.minAvailable >= 1 || pdb.spec.maxUnavailable)) v.push("scaled: a PodDisruptionBudget on the server pods");
  const spread = pod.topologySpreadConstraints ?? [];
  if (!spread.some((t) => matches(t.labelSelector, podLabels))) v.push("scaled: topology spread of the server pods");
  const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler");
  if (hpa?.spec?.scaleTargetRef?.kind !== "Deployment" || hpa.spec.scaleTargetRef.name !== dep.metadata.name
      || !(hpa.spec.minReplicas >= 3) || !(hpa.spec.maxReplicas >= hpa.spec.minReplicas)) v.push("scaled: a HorizontalPodAutoscaler on the Deployment, at least 3");
  if (!/^secret:/.test(envSource(objects, c, "MS365_MCP_STATE_KEY") ?? "")) v.push("scaled: MS365_MCP_STATE_KEY from a Secret, required (every replica decrypts what another stored)");
  const mounts = new Map((c.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
  const dataVolume = (pod.volumes ?? []).find((x) => x.name === mounts.get("/app/data"));
  if (dataVolume?.persistentVolumeClaim || objects.some((o) => o.kind === "PersistentVolumeClaim")) v.push("scaled: /app/data needs no PersistentVolumeClaim (state is in Redis)");

  const redis = objects.find((o) => o.kind === "StatefulSet");
  if (!redis) return [...v, "scaled: a Redis StatefulSet"];
  const rc = redis.spec.template.spec.containers[0];
  if (!/^[^:@]+(:[^:@]*\d[^:@]*)?@sha256:[0-9a-f]{64}$|^[^:@]+:\d+\.\d+\.\d+[^:@]*$/.test(rc.image ?? "")) v.push(`scaled: Redis image ${rc.image}: pin an exact version or digest`);
  const redisArgs = [...(rc.command ?? []), ...(rc.args ?? [])].join(" ");
  if (!/--appendonly yes/.test(redisArgs)) v.push("scaled: Redis with AOF persistence (--appendonly yes)");
  const claim = (redis.spec.volumeClaimTemplates ?? []).find((t) => (rc.volumeMounts ?? []).some((m) => m.name === t.metadata.name && m.mountPath === "/data"));
  if (!claim) v.push("scaled: Redis /data on a PVC (volumeClaimTemplates)");
  if (redis.spec.template.spec.securityContext?.runAsNonRoot !== true || rc.securityContext?.readOnlyRootFilesystem !== true) v.push("scaled: Redis non-root with a read-only root filesystem");
  const redisLabels = redis.spec.template.metadata.labels;
  if (matches(dep.spec.selector, redisLabels)) v.push("scaled: Redis pods must not carry the server's labels");
  const redisSvc = objects.find((o) => o.kind === "Service" && matches({ matchLabels: o.spec.selector }, redisLabels));
  if (!redisSvc) return [...v, "scaled: a Service for Redis"];
  const url = envSource(objects, c, "MS365_MCP_REDIS_URL") ?? "";
  if (!new RegExp(`^rediss?://[^@]*@?${redisSvc.metadata.name}:6379(/\\d+)?$`).test(url)) v.push(`scaled: MS365_MCP_REDIS_URL pointing at the Service ${redisSvc.metadata.name}:6379, got "${url}"`);
  const redisNp = objects.find((o) => o.kind === "NetworkPolicy" && matches(o.spec.podSelector, redisLabels));
  const ingress = redisNp?.spec?.ingress ?? [];
  if (!redisNp || !redisNp.spec.policyTypes.includes("Ingress") || !ingress.length
      || !ingress.every((r) => (r.from ?? []).length && r.from.every((f) => f.podSelector && matches(f.podSelector, podLabels) && !f.namespaceSelector && !f.ipBlock))) {
    v.push("scaled: NetworkPolicy letting only the server pods reach Redis");
  }
  const np = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "ms365-mcp");
  if (!(np?.spec?.egress ?? []).some((e) => (e.to ?? []).some((t) => matches(t.podSelector, redisLabels)) && (e.ports ?? []).some((p) => p.port === 6379))) {
    v.push("scaled: the server's NetworkPolicy lets it reach Redis on 6379");
  }
  return v;
}

export const OVERLAY_POLICIES = { single: singlePolicy, scaled: scaledPolicy };

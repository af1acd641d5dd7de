// Policy tests for deploy/: the checked-in files keep every rule, and each rule (and each validator)
// rejects the violation it exists for. Run: node --test deploy/ci/ (from .ci/deploy-check).
import test from "node:test";
import assert from "node:assert/strict";
import YAML from "yaml";
import * as c from "./checks.mjs";

const dockerfile = c.read("docker/Dockerfile");
const stdio = () => YAML.parse(c.read("compose/docker-compose.stdio.yml"));
const http = () => YAML.parse(c.read("compose/docker-compose.yml"));
const envExample = c.read("compose/.env.example");
const rendered = () => c.k8sObjects(c.read("k8s/rendered/single.yaml"));
const scaled = () => c.k8sObjects(c.read("k8s/rendered/scaled.yaml"));
const deployment = (objects) => objects.find((o) => o.kind === "Deployment");

const violates = (list, fragment) => assert.ok(list.some((v) => v.includes(fragment)), `expected a violation "${fragment}", got ${JSON.stringify(list)}`);

test("the Dockerfile keeps every image rule and lints clean", () => {
  assert.deepEqual(c.dockerfilePolicy(dockerfile), []);
  assert.deepEqual(c.lintDockerfile(dockerfile), []);
});

test("an unpinned or :latest FROM is refused", () => {
  violates(c.dockerfilePolicy(dockerfile.replace(/eclipse-temurin:25-jdk@sha256:[0-9a-f]+/, "eclipse-temurin")), "pin it");
  violates(c.dockerfilePolicy(dockerfile.replace(/busybox:[^ ]+/, "busybox:latest")), "never :latest");
});

test("a RUN that is not a deploy/docker script, or in shell form, is refused", () => {
  violates(c.dockerfilePolicy(dockerfile.replace('RUN ["/bin/sh", "deploy/docker/data-dir.sh", "/out/data"]', "RUN mkdir -p /out/data")), "exec form");
  violates(c.dockerfilePolicy(dockerfile.replace('RUN ["/bin/sh", "deploy/docker/data-dir.sh", "/out/data"]', 'RUN ["mkdir", "-p", "/out/data"]')), "every RUN calls a script");
  violates(c.dockerfilePolicy(dockerfile.replace("deploy/docker/data-dir.sh", "deploy/docker/missing.sh")), "not in deploy/docker/");
});

test("ADD from a URL, a shell-form ENTRYPOINT, root or a named user are refused", () => {
  violates(c.dockerfilePolicy(dockerfile.replace("WORKDIR /src", "WORKDIR /src\nADD https://example.com/x.tgz /x.tgz")), "no downloads by ADD");
  violates(c.dockerfilePolicy(dockerfile.replace('ENTRYPOINT ["/opt/java/bin/java"]', "ENTRYPOINT /opt/java/bin/java")), "exec form");
  violates(c.dockerfilePolicy(dockerfile.replace("USER 65532:65532", "USER 0")), "numeric, non-root");
  violates(c.dockerfilePolicy(dockerfile.replace("USER 65532:65532", "USER nonroot")), "numeric, non-root");
});

test("the image must have the health check, the data volume, the seed's cache paths and both AOT trainings", () => {
  violates(c.dockerfilePolicy(dockerfile.replace(/^HEALTHCHECK.*$/m, "")), "HEALTHCHECK");
  violates(c.dockerfilePolicy(dockerfile.replace('VOLUME ["/app/data"]', "")), "VOLUME /app/data");
  violates(c.dockerfilePolicy(dockerfile.replace("/app/data/msal-cache.json", "/tmp/cache.json")), "MS365_MCP_TOKEN_CACHE_PATH");
  violates(c.dockerfilePolicy(dockerfile.replace('"/app", "http", "dev.ms365mcp.http.AotTraining"', '"/app", "x", "X"')), "http AOT cache");
});

test("the Dockerfile linter reports a broken instruction", () => {
  assert.ok(c.lintDockerfile(dockerfile.replace("EXPOSE 3000", "EXPOSE port-three-thousand")).length > 0);
});

test("the compose files are valid Compose Specification and keep the seed's setup", () => {
  for (const doc of [stdio(), http(), YAML.parse(c.read("compose/docker-compose.shared-network.yml"))]) {
    assert.deepEqual(c.validateCompose(doc), []);
  }
  assert.deepEqual(c.stdioComposePolicy(stdio(), envExample), []);
  assert.deepEqual(c.httpComposePolicy(http(), envExample), []);
});

test("the compose schema rejects a misspelt key and a wrong type", () => {
  const misspelt = stdio();
  misspelt.services["ms365-mcp"].restrat = "always";
  violates(c.validateCompose(misspelt), "restrat");
  const wrongType = http();
  wrongType.services["ms365-mcp"].ports = "3000:3000";
  assert.ok(c.validateCompose(wrongType).length > 0);
});

test("STDIO compose: ports, another container name, json-file logging, org mode off or a missing toggle are refused", () => {
  const withPorts = stdio();
  withPorts.services["ms365-mcp"].ports = ["3000:3000"];
  violates(c.stdioComposePolicy(withPorts, envExample), "no ports");
  const renamed = stdio();
  renamed.services["ms365-mcp"].container_name = "mcp";
  violates(c.stdioComposePolicy(renamed, envExample), "container_name");
  const logs = stdio();
  logs.services["ms365-mcp"].logging.driver = "json-file";
  violates(c.stdioComposePolicy(logs, envExample), "logging");
  const personal = stdio();
  personal.services["ms365-mcp"].environment.MS365_MCP_ORG_MODE = "false";
  violates(c.stdioComposePolicy(personal, envExample), "org mode");
  violates(c.stdioComposePolicy(stdio(), envExample.replace(/^MS365_MCP_ENABLE_ONENOTE=.*$/m, "")), "MS365_MCP_ENABLE_ONENOTE");
  const noKeeper = stdio();
  noKeeper.services["ms365-mcp"].command = ["@/app/stdio.args"];
  violates(c.stdioComposePolicy(noKeeper, envExample), "token keeper");
});

test("the shared-network overlay must join the external mcp-shared-network", () => {
  assert.deepEqual(c.sharedNetworkPolicy(YAML.parse(c.read("compose/docker-compose.shared-network.yml"))), []);
  violates(c.sharedNetworkPolicy({ networks: { mcp: { name: "mcp-shared-network" } } }), "external");
});

test("the rendered single overlay passes the Kubernetes schemas and the cluster rules", async () => {
  for (const o of rendered()) assert.deepEqual(await c.validateK8s(o), []);
  assert.deepEqual(c.k8sPolicy(rendered()), []);
  assert.deepEqual(c.singlePolicy(rendered()), []);
});

test("the Kubernetes check fails on an unknown field, a wrong type and a missing required field", async () => {
  const misspelt = deployment(rendered());
  const container = misspelt.spec.template.spec.containers[0];
  container.readinesProbe = container.readinessProbe;
  delete container.readinessProbe;
  violates(await c.validateK8s(misspelt), 'unknown field "readinesProbe"');

  const wrongType = deployment(rendered());
  wrongType.spec.replicas = "one";
  violates(await c.validateK8s(wrongType), "replicas must be integer");

  const noSelector = deployment(rendered());
  delete noSelector.spec.selector;
  violates(await c.validateK8s(noSelector), "selector");

  const service = rendered().find((o) => o.kind === "Service");
  service.spec.ports[0].prot = 3000;
  violates(await c.validateK8s(service), 'unknown field "prot"');
});

test("the cluster rules refuse root, a writable root filesystem, RollingUpdate and open egress", () => {
  const root = rendered();
  deployment(root).spec.template.spec.securityContext.runAsNonRoot = false;
  violates(c.k8sPolicy(root), "runAsNonRoot");
  const writable = rendered();
  deployment(writable).spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
  violates(c.k8sPolicy(writable), "read-only root filesystem");
  const rolling = rendered();
  deployment(rolling).spec.strategy = { type: "RollingUpdate" };
  violates(c.singlePolicy(rolling), "Recreate");
  const open = rendered();
  open.find((o) => o.kind === "NetworkPolicy").spec.egress.push({ ports: [{ port: 80, protocol: "TCP" }] });
  violates(c.k8sPolicy(open), "egress only");
});

test("the HTTP server gets what it needs: public https URL, data dir, proxy hops, the Secret", () => {
  const config = (objects) => objects.find((o) => o.kind === "ConfigMap");
  const noUrl = rendered();
  delete config(noUrl).data.MS365_MCP_PUBLIC_URL;
  violates(c.k8sPolicy(noUrl), "MS365_MCP_PUBLIC_URL");
  const plainHttp = rendered();
  config(plainHttp).data.MS365_MCP_PUBLIC_URL = "http://mcp.example.com";
  violates(c.k8sPolicy(plainHttp), "MS365_MCP_PUBLIC_URL");
  const dataDir = rendered();
  deployment(dataDir).spec.template.spec.containers[0].env.find((e) => e.name === "MS365_MCP_DATA_DIR").value = "./data";
  violates(c.k8sPolicy(dataDir), "MS365_MCP_DATA_DIR");
  const hops = rendered();
  delete config(hops).data.MS365_MCP_TRUST_PROXY_HOPS;
  violates(c.k8sPolicy(hops), "MS365_MCP_TRUST_PROXY_HOPS");
  const noSecret = rendered();
  const container = deployment(noSecret).spec.template.spec.containers[0];
  container.envFrom = container.envFrom.filter((e) => !e.secretRef);
  violates(c.k8sPolicy(noSecret), "Secret reference");
});

test("the rendered scaled overlay passes the Kubernetes schemas, the common and the scaled rules", async () => {
  for (const o of scaled()) assert.deepEqual(await c.validateK8s(o), []);
  assert.deepEqual(c.k8sPolicy(scaled()), []);
  assert.deepEqual(c.scaledPolicy(scaled()), []);
});

test("the scaled rules refuse one replica, Recreate, a missing budget, spread or autoscaler, and a PVC for /app/data", () => {
  const without = (kind) => scaled().filter((o) => o.kind !== kind);
  const one = scaled();
  deployment(one).spec.replicas = 1;
  violates(c.scaledPolicy(one), "three replicas");
  const recreate = scaled();
  deployment(recreate).spec.strategy = { type: "Recreate" };
  violates(c.scaledPolicy(recreate), "RollingUpdate");
  violates(c.scaledPolicy(without("PodDisruptionBudget")), "PodDisruptionBudget");
  violates(c.scaledPolicy(without("HorizontalPodAutoscaler")), "HorizontalPodAutoscaler");
  const packed = scaled();
  delete deployment(packed).spec.template.spec.topologySpreadConstraints;
  violates(c.scaledPolicy(packed), "topology spread");
  const pvc = scaled();
  deployment(pvc).spec.template.spec.volumes.find((x) => x.name === "data").persistentVolumeClaim = { claimName: "x" };
  violates(c.scaledPolicy(pvc), "no PersistentVolumeClaim");
  const ownKey = scaled();
  const env = deployment(ownKey).spec.template.spec.containers[0].env;
  env.splice(env.findIndex((e) => e.name === "MS365_MCP_STATE_KEY"), 1);
  violates(c.scaledPolicy(ownKey), "MS365_MCP_STATE_KEY");
});

test("the scaled rules refuse Redis without AOF, a PVC or a pinned image, and pointing elsewhere", () => {
  const redis = (objects) => objects.find((o) => o.kind === "StatefulSet");
  const noAof = scaled();
  const rc = redis(noAof).spec.template.spec.containers[0];
  rc.args[rc.args.indexOf("--appendonly") + 1] = "no";
  violates(c.scaledPolicy(noAof), "AOF");
  const noPvc = scaled();
  delete redis(noPvc).spec.volumeClaimTemplates;
  violates(c.scaledPolicy(noPvc), "PVC");
  for (const image of ["redis", "redis:latest", "redis:7-alpine"]) {
    const unpinned = scaled();
    redis(unpinned).spec.template.spec.containers[0].image = image;
    violates(c.scaledPolicy(unpinned), "pin an exact version");
  }
  const elsewhere = scaled();
  deployment(elsewhere).spec.template.spec.containers[0].env.find((e) => e.name === "MS365_MCP_REDIS_URL").value = "redis://other:6379/0";
  violates(c.scaledPolicy(elsewhere), "MS365_MCP_REDIS_URL");
});

test("the scaled rules refuse Redis reachable by other pods, and a server that cannot reach it", () => {
  const redisPolicy = (objects) => objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "ms365-mcp-redis");
  const anyPod = scaled();
  redisPolicy(anyPod).spec.ingress[0].from = [{ podSelector: {} }];
  violates(c.scaledPolicy(anyPod), "only the server pods reach Redis");
  const anyNamespace = scaled();
  redisPolicy(anyNamespace).spec.ingress[0].from[0].namespaceSelector = {};
  violates(c.scaledPolicy(anyNamespace), "only the server pods reach Redis");
  const open = scaled();
  redisPolicy(open).spec.ingress.push({ ports: [{ port: 6379 }] });
  violates(c.scaledPolicy(open), "only the server pods reach Redis");
  violates(c.scaledPolicy(scaled().filter((o) => o.metadata.name !== "ms365-mcp-redis" || o.kind !== "NetworkPolicy")), "only the server pods reach Redis");
  const cut = scaled();
  const np = cut.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "ms365-mcp");
  np.spec.egress = np.spec.egress.filter((e) => !e.to);
  violates(c.scaledPolicy(cut), "reach Redis on 6379");
  const wideOpen = scaled();
  wideOpen.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "ms365-mcp").spec.egress.push({ ports: [{ port: 6379 }] });
  violates(c.k8sPolicy(wideOpen), "egress only");
});

test("HTTP compose: a data dir off the volume, no public URL or a missing server variable in .env.example are refused", () => {
  const dataDir = http();
  dataDir.services["ms365-mcp"].environment.MS365_MCP_DATA_DIR = "./data";
  violates(c.httpComposePolicy(dataDir, envExample), "MS365_MCP_DATA_DIR");
  const noUrl = http();
  delete noUrl.services["ms365-mcp"].environment.MS365_MCP_PUBLIC_URL;
  violates(c.httpComposePolicy(noUrl, envExample), "MS365_MCP_PUBLIC_URL");
  violates(c.httpComposePolicy(http(), envExample.replace(/^MS365_MCP_STATE_KEY=.*$/m, "")), "MS365_MCP_STATE_KEY");
});

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
  assert.deepEqual(c.httpComposePolicy(http()), []);
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
  violates(c.k8sPolicy(rolling), "Recreate");
  const open = rendered();
  open.find((o) => o.kind === "NetworkPolicy").spec.egress.push({ ports: [{ port: 80, protocol: "TCP" }] });
  violates(c.k8sPolicy(open), "egress only");
});

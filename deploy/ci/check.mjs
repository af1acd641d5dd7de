// Entry points for .ci/deploy-check; each prints what is wrong and exits 1, or says OK.
//   node check.mjs dockerfile          lint (dockerfile-utils) and policy of deploy/docker/Dockerfile
//   node check.mjs facts               the final stage's ENV / USER / ENTRYPOINT / CMD / HEALTHCHECK as JSON
//   node check.mjs compose             every compose file against the Compose Specification, and the rules
//   node check.mjs k8s FILE...         every object of rendered manifests against the Kubernetes schemas (strict)
//   node check.mjs k8s-policy FILE OVERLAY   the cluster rules on a rendered overlay (common + its own)
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import * as checks from "./checks.mjs";

const [what, ...files] = process.argv.slice(2);
const problems = [];
const report = (label, list) => { for (const p of list) problems.push(`${label}: ${p}`); };

if (what === "dockerfile") {
  const text = checks.read("docker/Dockerfile");
  report("dockerfile lint", checks.lintDockerfile(text));
  report("dockerfile policy", checks.dockerfilePolicy(text));
} else if (what === "facts") {
  process.stdout.write(JSON.stringify(checks.finalStage(checks.read("docker/Dockerfile"))) + "\n");
  process.exit(0);
} else if (what === "compose") {
  const dir = path.join(checks.DEPLOY, "compose");
  for (const f of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    report(f, checks.validateCompose(YAML.parse(fs.readFileSync(path.join(dir, f), "utf8"))));
  }
  const load = (f) => YAML.parse(checks.read(`compose/${f}`));
  report("docker-compose.stdio.yml", checks.stdioComposePolicy(load("docker-compose.stdio.yml"), checks.read("compose/.env.example")));
  report("docker-compose.yml", checks.httpComposePolicy(load("docker-compose.yml"), checks.read("compose/.env.example")));
  report("docker-compose.shared-network.yml", checks.sharedNetworkPolicy(load("docker-compose.shared-network.yml")));
} else if (what === "k8s") {
  for (const f of files) {
    const objects = checks.k8sObjects(fs.readFileSync(f, "utf8"));
    if (!objects.length) problems.push(`${f}: no objects`);
    for (const o of objects) report(f, await checks.validateK8s(o));
    console.log(`${f}: ${objects.length} objects: ${objects.map((o) => o.kind).join(", ")}`);
  }
} else if (what === "k8s-policy") {
  // FILE OVERLAY: the rules every overlay keeps, then the overlay's own.
  const [file, overlay] = files;
  const objects = checks.k8sObjects(fs.readFileSync(file, "utf8"));
  const own = checks.OVERLAY_POLICIES[overlay];
  if (!own) problems.push(`${overlay}: no policy for this overlay in deploy/ci/checks.mjs (OVERLAY_POLICIES)`);
  report(file, [...checks.k8sPolicy(objects), ...(own ? own(objects) : [])]);
} else {
  console.error("usage: node check.mjs dockerfile|facts|compose|k8s FILE...|k8s-policy FILE OVERLAY");
  process.exit(2);
}
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`${what}: OK`);

// The Redis command line of a rendered overlay's StatefulSet, one word per line, with $(VAR) filled from
// the environment as Kubernetes fills it from the container's env. For .ci/deploy-check, which starts
// the Debian package's redis-server with it.   node redis-args.mjs RENDERED.yaml
import fs from "node:fs";
import { k8sObjects } from "./checks.mjs";

const redis = k8sObjects(fs.readFileSync(process.argv[2], "utf8")).find((o) => o.kind === "StatefulSet");
if (!redis) { console.error("redis-args: no StatefulSet"); process.exit(1); }
const c = redis.spec.template.spec.containers[0];
for (const word of [...(c.command ?? []), ...(c.args ?? [])]) {
  console.log(word.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, name) => {
    if (process.env[name] === undefined) { console.error(`redis-args: ${name} is not set`); process.exit(1); }
    return process.env[name];
  }));
}

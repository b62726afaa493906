// Offline validation of the manifests in k8s/ and k8s/split/ (no API server needed).
//
//   node k8s/validate.mjs [k8s-dir]     (k8s/validate.sh installs the dependencies and runs this)
//
// 1. Schema: every document of every *.yaml/*.yml is checked against the Kubernetes OpenAPI
//    schema compiled into the npm package kubernetes-models (types, required fields, enums).
//    Those schemas allow unknown fields, so unknown fields (typos such as "readinesProbe") are
//    found separately: each object is wrapped in a Proxy that records which keys the schema
//    validator reads; a key it never reads is not in the schema.
// 2. Cross-references between the documents: namespaces, Service and PDB selectors, Deployment
//    selectors against their own template, named ports, Secret/ConfigMap names and keys,
//    ServiceAccounts, Role bindings, StatefulSet serviceName.
// 3. Each Kustomization lists exactly the yaml files next to it.
// Exits 1 on any error.
//
// Dependencies are looked up in $VALIDATE_NODE_MODULES (default: k8s/.validate/node_modules).

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? here);
const modulesDir = path.resolve(process.env.VALIDATE_NODE_MODULES ?? path.join(here, ".validate", "node_modules"));
const require = createRequire(path.join(modulesDir, "noop.js"));
const yaml = require("js-yaml");

const errors = [];
const fail = (where, msg) => errors.push(`${where}: ${msg}`);

// ---------------------------------------------------------------- load
// k8s/ itself (or a directory of rendered manifests), the kustomize base, and the split mode
const dirs = [root, path.join(root, "base"), path.join(root, "split")].filter((d) => fs.existsSync(d));
const docs = []; // {file, index, obj, where}
for (const dir of dirs) {
  for (const name of fs.readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const file = path.join(dir, name);
    const rel = path.relative(root, file);
    let parsed;
    try {
      parsed = yaml.loadAll(fs.readFileSync(file, "utf8"));
    } catch (e) {
      fail(rel, `YAML parse error: ${e.message}`);
      continue;
    }
    parsed.forEach((obj, index) => {
      if (obj === null || obj === undefined) return; // empty document (e.g. trailing ---)
      const where = `${rel}#${index}`;
      if (typeof obj !== "object" || Array.isArray(obj)) {
        fail(where, "document is not a mapping");
        return;
      }
      docs.push({ file: rel, index, obj, where: `${where} ${obj.kind}/${obj.metadata?.name}` });
    });
  }
}

// ---------------------------------------------------------------- schema
function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const dir = group === "" ? version : `${group}/${version}`;
  try {
    return require(`kubernetes-models/${dir}/${kind}`)[kind] ?? null;
  } catch {
    return null;
  }
}

// Wraps obj (deeply) so that every key the validator reads is recorded, per object.
function tracked(value, seen, where) {
  if (value === null || typeof value !== "object") return value;
  const isArray = Array.isArray(value);
  const target = isArray
    ? value.map((v, i) => tracked(v, seen, `${where}[${i}]`))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tracked(v, seen, `${where}.${k}`)]));
  const read = new Set();
  const record = (key) => typeof key === "string" && read.add(key);
  seen.push({ target, read, isArray, where });
  return new Proxy(target, {
    get: (t, key, recv) => (record(key), Reflect.get(t, key, recv)),
    has: (t, key) => (record(key), Reflect.has(t, key)),
  });
}

for (const d of docs) {
  const { apiVersion, kind } = d.obj;
  const Model = modelFor(apiVersion, kind);
  if (!Model) {
    fail(d.where, `unknown apiVersion/kind "${apiVersion}" "${kind}"`);
    continue;
  }
  const seen = [];
  const proxy = tracked(d.obj, seen, "");
  try {
    Model.prototype.validate.call(proxy);
  } catch (e) {
    fail(d.where, `schema: ${e.message}`);
    continue; // unknown-field results are unreliable where the validator stopped early
  }
  const unknown = [];
  for (const entry of seen) {
    if (entry.isArray) continue;
    for (const key of Object.keys(entry.target)) if (!entry.read.has(key)) unknown.push(`${entry.where}.${key}`);
  }
  // report the outermost unknown field only, not everything under it
  for (const u of unknown) {
    if (!unknown.some((o) => o !== u && (u.startsWith(o + ".") || u.startsWith(o + "[")))) fail(d.where, `schema: unknown field "${u}"`);
  }
}

// ---------------------------------------------------------------- cross-references
const byKind = (kind) => docs.filter((d) => d.obj.kind === kind);
const ns = (o) => o.metadata?.namespace ?? "default";
const find = (kind, namespace, name) =>
  docs.find((d) => d.obj.kind === kind && d.obj.metadata?.name === name && (kind === "Namespace" || ns(d.obj) === namespace));
const matches = (selector, labels) =>
  selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

const clusterScoped = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass"]);
const workloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"];
const workloads = docs.filter((d) => workloadKinds.includes(d.obj.kind) && d.obj.spec?.template);

// duplicates and namespaces
const ids = new Map();
for (const d of docs) {
  const id = `${d.obj.kind}/${clusterScoped.has(d.obj.kind) ? "" : ns(d.obj) + "/"}${d.obj.metadata?.name}`;
  if (ids.has(id)) fail(d.where, `duplicate of ${ids.get(id)}`);
  ids.set(id, d.where);
  if (!clusterScoped.has(d.obj.kind)) {
    if (!d.obj.metadata?.namespace) fail(d.where, "no metadata.namespace");
    else if (!find("Namespace", null, d.obj.metadata.namespace)) fail(d.where, `namespace "${d.obj.metadata.namespace}" is not defined`);
  }
}

function keysOf(d) {
  return new Set([...Object.keys(d.obj.data ?? {}), ...Object.keys(d.obj.stringData ?? {}), ...Object.keys(d.obj.binaryData ?? {})]);
}
function checkRef(where, kind, namespace, name, key, optional) {
  const target = find(kind, namespace, name);
  if (!target) {
    if (!optional) fail(where, `${kind} "${name}" is not defined in namespace ${namespace}`);
    return;
  }
  if (key !== undefined && !keysOf(target).has(key) && !optional) fail(where, `${kind} "${name}" has no key "${key}"`);
}

function podPorts(podSpec) {
  const names = new Set();
  const numbers = new Set();
  for (const c of [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (p.name) names.add(p.name);
      numbers.add(p.containerPort);
    }
  }
  return { names, numbers };
}

for (const w of workloads) {
  const where = w.where;
  const namespace = ns(w.obj);
  const tmpl = w.obj.spec.template;
  const labels = tmpl.metadata?.labels ?? {};
  const sel = w.obj.spec.selector?.matchLabels;
  if (w.obj.kind !== "Job" && !matches(sel, labels)) fail(where, "spec.selector.matchLabels does not match the template's labels");
  const pod = tmpl.spec;
  if (pod.serviceAccountName && pod.serviceAccountName !== "default") {
    if (!find("ServiceAccount", namespace, pod.serviceAccountName)) fail(where, `ServiceAccount "${pod.serviceAccountName}" is not defined`);
  }
  if (w.obj.kind === "StatefulSet") {
    const svc = find("Service", namespace, w.obj.spec.serviceName);
    if (!svc) fail(where, `serviceName "${w.obj.spec.serviceName}" is not a defined Service`);
    else if (!matches(svc.obj.spec?.selector, labels)) fail(where, `governing Service "${w.obj.spec.serviceName}" does not select its pods`);
  }
  const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
  for (const t of w.obj.spec.volumeClaimTemplates ?? []) volumes.add(t.metadata?.name);
  for (const v of pod.volumes ?? []) {
    if (v.configMap) {
      checkRef(`${where} volume ${v.name}`, "ConfigMap", namespace, v.configMap.name, undefined, v.configMap.optional);
      for (const it of v.configMap.items ?? []) checkRef(`${where} volume ${v.name}`, "ConfigMap", namespace, v.configMap.name, it.key, v.configMap.optional);
    }
    if (v.secret) {
      checkRef(`${where} volume ${v.name}`, "Secret", namespace, v.secret.secretName, undefined, v.secret.optional);
      for (const it of v.secret.items ?? []) checkRef(`${where} volume ${v.name}`, "Secret", namespace, v.secret.secretName, it.key, v.secret.optional);
    }
    if (v.persistentVolumeClaim && !find("PersistentVolumeClaim", namespace, v.persistentVolumeClaim.claimName)) {
      fail(`${where} volume ${v.name}`, `PersistentVolumeClaim "${v.persistentVolumeClaim.claimName}" is not defined`);
    }
  }
  for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    const cw = `${where} container ${c.name}`;
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef;
      if (s) checkRef(`${cw} env ${e.name}`, "Secret", namespace, s.name, s.key, s.optional);
      const m = e.valueFrom?.configMapKeyRef;
      if (m) checkRef(`${cw} env ${e.name}`, "ConfigMap", namespace, m.name, m.key, m.optional);
    }
    for (const e of c.envFrom ?? []) {
      if (e.secretRef) checkRef(`${cw} envFrom`, "Secret", namespace, e.secretRef.name, undefined, e.secretRef.optional);
      if (e.configMapRef) checkRef(`${cw} envFrom`, "ConfigMap", namespace, e.configMapRef.name, undefined, e.configMapRef.optional);
    }
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) fail(cw, `volumeMount "${m.name}" has no volume`);
    }
    for (const probeName of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const p = c[probeName];
      const port = p?.httpGet?.port ?? p?.tcpSocket?.port ?? p?.grpc?.port;
      if (typeof port === "string" && !/^\d+$/.test(port) && !(c.ports ?? []).some((x) => x.name === port)) {
        fail(cw, `${probeName} uses port "${port}", which the container does not name`);
      }
    }
    const envNames = (c.env ?? []).map((e) => e.name);
    const dup = envNames.filter((n, i) => envNames.indexOf(n) !== i);
    if (dup.length) fail(cw, `duplicate env ${[...new Set(dup)].join(", ")}`);
  }
}

for (const s of byKind("Service")) {
  const sel = s.obj.spec?.selector;
  if (!sel) continue; // selector-less Service (manual Endpoints)
  const targets = workloads.filter((w) => ns(w.obj) === ns(s.obj) && matches(sel, w.obj.spec.template.metadata?.labels));
  if (targets.length === 0) {
    fail(s.where, `selector ${JSON.stringify(sel)} matches no workload's pod labels`);
    continue;
  }
  for (const p of s.obj.spec.ports ?? []) {
    const tp = p.targetPort ?? p.port;
    for (const w of targets) {
      const { names, numbers } = podPorts(w.obj.spec.template.spec);
      const ok = typeof tp === "string" ? names.has(tp) : numbers.has(tp);
      if (!ok) fail(s.where, `port ${p.name ?? p.port}: targetPort ${tp} is not a port of ${w.obj.kind}/${w.obj.metadata.name}`);
    }
  }
}

for (const p of byKind("PodDisruptionBudget")) {
  const sel = p.obj.spec?.selector?.matchLabels;
  const targets = workloads.filter((w) => ns(w.obj) === ns(p.obj) && matches(sel, w.obj.spec.template.metadata?.labels));
  if (targets.length === 0) fail(p.where, "selector matches no workload");
  const min = p.obj.spec?.minAvailable;
  for (const w of targets) {
    const replicas = w.obj.spec.replicas ?? 1;
    if (typeof min === "number" && min >= replicas) fail(p.where, `minAvailable ${min} >= replicas ${replicas} of ${w.obj.metadata.name}: no voluntary eviction possible`);
  }
}

for (const b of byKind("RoleBinding")) {
  const ref = b.obj.roleRef;
  if (ref?.kind === "Role" && !find("Role", ns(b.obj), ref.name)) fail(b.where, `Role "${ref.name}" is not defined`);
  if (ref?.kind === "ClusterRole" && !find("ClusterRole", null, ref.name) && !/^(view|edit|admin|cluster-admin)$/.test(ref.name)) {
    fail(b.where, `ClusterRole "${ref.name}" is not defined`);
  }
  for (const s of b.obj.subjects ?? []) {
    if (s.kind === "ServiceAccount" && !find("ServiceAccount", s.namespace ?? ns(b.obj), s.name)) fail(b.where, `ServiceAccount "${s.name}" is not defined`);
  }
}

// the drain must end before the kubelet's SIGKILL: grace >= CHAT_DRAIN_MS + 15 s (README)
// (preStop's 5 s counts against the grace too); and heap + direct buffers must leave room
// below the memory limit for metaspace, code cache and thread stacks
const mebibytes = (q) => {
  const m = /^(\d+)(Mi|Gi|M|G|m|g)?$/.exec(String(q ?? ""));
  if (!m) return null;
  const unit = { Mi: 1, M: 1, m: 1, Gi: 1024, G: 1024, g: 1024 }[m[2]] ?? 1 / (1024 * 1024);
  return Number(m[1]) * unit;
};
for (const w of workloads) {
  const pod = w.obj.spec.template.spec ?? {};
  for (const c of pod.containers ?? []) {
    const fromMaps = (c.envFrom ?? []).map((e) => e.configMapRef && find("ConfigMap", ns(w.obj), e.configMapRef.name)).filter(Boolean);
    const drain = (c.env ?? []).find((e) => e.name === "CHAT_DRAIN_MS")?.value ?? fromMaps.map((m) => m.obj.data?.CHAT_DRAIN_MS).find((v) => v);
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (drain !== undefined && grace * 1000 < Number(drain) + 15000) {
      fail(w.where, `terminationGracePeriodSeconds ${grace} < CHAT_DRAIN_MS ${drain} ms + 15 s`);
    }
    const opts = (c.env ?? []).find((e) => e.name === "JAVA_TOOL_OPTIONS")?.value ?? "";
    const percent = /-XX:MaxRAMPercentage=(\d+)/.exec(opts);
    const direct = /-XX:MaxDirectMemorySize=(\d+[mMgG])/.exec(opts);
    const limit = mebibytes(c.resources?.limits?.memory);
    if (percent && limit) {
      if (!direct) fail(w.where, `${c.name}: MaxRAMPercentage without MaxDirectMemorySize: direct buffers may grow to the heap's size`);
      else if (limit * Number(percent[1]) / 100 + mebibytes(direct[1]) > limit * 0.85) {
        fail(w.where, `${c.name}: heap ${percent[1]}% + direct ${direct[1]} leaves under 15% of ${c.resources.limits.memory} for the rest`);
      }
    }
  }
}

// ---------------------------------------------------------------- kustomizations
for (const dir of dirs) {
  const kfile = ["kustomization.yaml", "kustomization.yml", "Kustomization"].map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  if (!kfile) continue;
  const rel = path.relative(root, kfile);
  let k;
  try {
    k = yaml.load(fs.readFileSync(kfile, "utf8"));
  } catch (e) {
    fail(rel, `YAML parse error: ${e.message}`);
    continue;
  }
  const listed = new Set(k?.resources ?? []);
  const present = fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n) && !/^kustomization\.ya?ml$/.test(n));
  for (const r of listed) if (!r.includes("/") && !present.includes(r)) fail(rel, `lists "${r}", which does not exist`);
  for (const n of present) if (!listed.has(n)) fail(rel, `does not list ${n}`);
}

// ---------------------------------------------------------------- report
for (const d of docs) {
  if (!errors.some((e) => e.startsWith(d.where))) console.log(`ok    ${d.where}`);
}
if (errors.length) {
  for (const e of errors) console.log(`ERROR ${e}`);
  console.log(`FAILED: ${errors.length} error(s) in ${docs.length} documents`);
  process.exit(1);
}
console.log(`PASSED: ${docs.length} documents in ${dirs.map((d) => path.relative(path.dirname(root), d) + "/").join(", ")}: schema, unknown fields, cross-references`);

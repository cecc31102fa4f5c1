#!/usr/bin/env bash
# Offline checks of the Kubernetes manifests, monitoring assets and Dockerfile
# under deploy/. No cluster and no network needed.
#
#   deploy/tests/validate.sh [repo-root]
#
# Checks:
#   1. every YAML file under deploy/k8s parses, every JSON file parses;
#      every file a kustomization.yaml names exists;
#   2. prometheus-rules.yaml has the rule-file structure promtool expects
#      (groups/rules, alert xor record, durations, balanced PromQL) and uses
#      only smsflow metric names the code exports (or the few announced ones);
#      the same metric-name check for the Grafana dashboard;
#   3. every Deployment: readiness (native gRPC on the service's gRPC port) and
#      liveness probes, requests and limits, a hardened securityContext,
#      enableServiceLinks: false, container ports equal to the binary's
#      defaults, scrape annotation on the metrics port, a termination grace
#      longer than the drain, the tenants file on a mounted volume, and every
#      SMSFLOW_* variable it gets (env and envFrom ConfigMaps) is one that
#      service reads -- a service exits 2 on any other;
#   4. Services, PodDisruptionBudgets and HPAs (ingest, sender) match the
#      Deployments; overlay ConfigMap keys are allowed for every consumer;
#   5. the local overlay's example tenants file has the tenants.h format;
#   6. the Dockerfile's numeric USER equals the pods' runAsUser;
#   7. if kustomize or kubectl is installed: `kustomize build` of each overlay
#      and of monitoring succeeds and the rendered output passes check 3/4
#      (skipped with a message otherwise).
set -euo pipefail

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
root="$(cd "$root" && pwd)"

py=""
for cand in python3 /usr/bin/python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import yaml' >/dev/null 2>&1; then
    py="$cand"
    break
  fi
done
if [ -z "$py" ]; then
  echo "validate.sh: no python3 with PyYAML (Debian package python3-yaml)" >&2
  exit 1
fi

kustomize_cmd=""
if command -v kustomize >/dev/null 2>&1; then
  kustomize_cmd="kustomize build"
elif command -v kubectl >/dev/null 2>&1; then
  kustomize_cmd="kubectl kustomize"
fi

exec "$py" - "$root" "$kustomize_cmd" <<'PY'
import json
import os
import re
import shlex
import subprocess
import sys

import yaml

root, kustomize_cmd = sys.argv[1], sys.argv[2]
k8s = os.path.join(root, "deploy", "k8s")
errors = []
notes = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def rel(p):
    return os.path.relpath(p, root)


# ---------------------------------------------------------------------------
# What the binaries read (lib/config/loader.cc, lib/runtime, services/*/main.cpp)
# ---------------------------------------------------------------------------
COMMON_ENV = {
    "SMSFLOW_GRPC_ADDRESS", "SMSFLOW_METRICS_ADDRESS", "SMSFLOW_LOG_LEVEL",
    "SMSFLOW_SHUTDOWN_GRACE_MS", "SMSFLOW_READY_FILE", "SMSFLOW_KAFKA_BROKERS",
    "SMSFLOW_KAFKA_DELIVERY_TIMEOUT_MS", "SMSFLOW_KAFKA_CONSUMER_GROUP",
    "SMSFLOW_TENANTS_FILE",
}
REDIS_ENV = {"SMSFLOW_REDIS_ADDRESS", "SMSFLOW_REDIS_POOL_SIZE", "SMSFLOW_REDIS_TIMEOUT_MS"}
SERVICES = {
    "ingest": {"grpc": 7101, "metrics": 9101, "env": COMMON_ENV | {"SMSFLOW_MAX_BODY_CHARS"}},
    "router": {"grpc": 7102, "metrics": 9102, "env": COMMON_ENV},
    "consent": {"grpc": 7103, "metrics": 9103, "env": COMMON_ENV | REDIS_ENV},
    "sender": {"grpc": 7104, "metrics": 9104, "env": COMMON_ENV | REDIS_ENV},
}
HPA_SERVICES = {"ingest", "sender"}
DEFAULT_GRACE_MS = 10000
DEFAULT_DELIVERY_TIMEOUT_MS = 10000

# Metric families the code exports, and the few announced for later issues.
METRICS = set()
for s in SERVICES:
    METRICS |= {f"smsflow_{s}_serving", f"smsflow_{s}_dependency_up",
                f"smsflow_{s}_grpc_requests_total", f"smsflow_{s}_grpc_request_duration_seconds"}
METRICS |= {"smsflow_ingest_messages_total", "smsflow_ingest_publish_duration_seconds",
            "smsflow_ingest_produce_errors_total",
            # arriving with the sender / consent issues
            "smsflow_sender_dispatch_duration_seconds", "smsflow_sender_segments_sent_total",
            "smsflow_consent_decisions_total"}


def metric_ok(name):
    for suffix in ("", "_bucket", "_sum", "_count"):
        if name.endswith(suffix) and name[: len(name) - len(suffix)] in METRICS:
            return True
    return False


def check_metric_names(where, expr):
    # Expand the per-service spellings used by rules and dashboard first.
    variants = [expr]
    for pat in ("${service}", "$service", "(ingest|router|consent|sender)", "(.+)", ".+"):
        variants = [v.replace(pat, s) if pat in v else v for v in variants for s in SERVICES]
    for v in variants:
        for m in re.finditer(r"(?<![:\w])smsflow_[a-z0-9_]+", v):
            if not metric_ok(m.group(0)):
                err(where, f"unknown metric {m.group(0)!r}")
                return


def balanced(expr):
    stack, pairs, i = [], {")": "(", "]": "[", "}": "{"}, 0
    while i < len(expr):
        c = expr[i]
        if c in "\"'`":
            j = i + 1
            while j < len(expr) and expr[j] != c:
                j += 2 if expr[j] == "\\" else 1
            if j >= len(expr):
                return False
            i = j + 1
            continue
        if c in "([{":
            stack.append(c)
        elif c in ")]}":
            if not stack or stack.pop() != pairs[c]:
                return False
        i += 1
    return not stack


# ---------------------------------------------------------------------------
# 1. parse everything
# ---------------------------------------------------------------------------
docs_by_file = {}
n_yaml = n_json = 0
for dirpath, _, files in os.walk(k8s):
    for f in sorted(files):
        p = os.path.join(dirpath, f)
        if f.endswith((".yaml", ".yml")):
            n_yaml += 1
            try:
                with open(p) as fh:
                    docs_by_file[p] = [d for d in yaml.safe_load_all(fh) if d is not None]
            except yaml.YAMLError as e:
                err(rel(p), f"YAML does not parse: {e}")
        elif f.endswith(".json"):
            n_json += 1
            try:
                with open(p) as fh:
                    json.load(fh)
            except ValueError as e:
                err(rel(p), f"JSON does not parse: {e}")
if n_yaml == 0:
    err(rel(k8s), "no YAML files found")
notes.append(f"parsed {n_yaml} YAML and {n_json} JSON files")

kustomizations = {os.path.dirname(p): d[0] for p, d in docs_by_file.items()
                  if os.path.basename(p) == "kustomization.yaml" and d}
for kdir, kz in kustomizations.items():
    where = rel(os.path.join(kdir, "kustomization.yaml"))
    refs = list(kz.get("resources", []))
    refs += [p["path"] for p in kz.get("patches", []) if "path" in p]
    for gen in kz.get("configMapGenerator", []) + kz.get("secretGenerator", []):
        refs += [f.split("=", 1)[-1] for f in gen.get("files", [])]
        refs += gen.get("envs", [])
    for r in refs:
        if not os.path.exists(os.path.join(kdir, r)):
            err(where, f"references missing {r!r}")


# ---------------------------------------------------------------------------
# 2. monitoring assets
# ---------------------------------------------------------------------------
DURATION = re.compile(r"^([0-9]+(ms|s|m|h|d|w|y))+$")
rules_path = os.path.join(k8s, "monitoring", "prometheus-rules.yaml")
rules = (docs_by_file.get(rules_path) or [None])[0]
if not isinstance(rules, dict) or not isinstance(rules.get("groups"), list) or not rules["groups"]:
    err(rel(rules_path), "missing or has no `groups:` list")
else:
    names, n_alerts = set(), 0
    for gi, g in enumerate(rules["groups"]):
        gw = f"{rel(rules_path)} groups[{gi}]"
        if not isinstance(g, dict) or not g.get("name") or not isinstance(g.get("rules"), list):
            err(gw, "needs `name` and a `rules` list")
            continue
        if g["name"] in names:
            err(gw, f"duplicate group name {g['name']!r}")
        names.add(g["name"])
        if set(g) - {"name", "interval", "rules", "limit"}:
            err(gw, f"unknown keys {sorted(set(g) - {'name', 'interval', 'rules', 'limit'})}")
        for ri, r in enumerate(g["rules"]):
            rw = f"{gw}.rules[{ri}]"
            if not isinstance(r, dict) or ("alert" in r) == ("record" in r):
                err(rw, "needs exactly one of `alert` / `record`")
                continue
            allowed = ({"alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
                       if "alert" in r else {"record", "expr", "labels"})
            if set(r) - allowed:
                err(rw, f"unknown keys {sorted(set(r) - allowed)}")
            if "alert" in r:
                n_alerts += 1
                if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", str(r["alert"])):
                    err(rw, f"alert name {r['alert']!r} is not CamelCase")
                if "severity" not in (r.get("labels") or {}):
                    err(rw, "alert has no severity label")
                if not (r.get("annotations") or {}).get("summary"):
                    err(rw, "alert has no summary annotation")
            elif not re.fullmatch(r"[a-zA-Z_:][a-zA-Z0-9_:]*", str(r["record"])):
                err(rw, f"bad record name {r['record']!r}")
            for k in ("for", "keep_firing_for"):
                if k in r and not DURATION.match(str(r[k])):
                    err(rw, f"`{k}: {r[k]}` is not a Prometheus duration")
            for k in ("labels", "annotations"):
                if k in r and not (isinstance(r[k], dict)
                                   and all(isinstance(v, str) for v in r[k].values())):
                    err(rw, f"`{k}` must map names to strings")
            expr = r.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                err(rw, "empty expr")
            elif not balanced(expr):
                err(rw, "unbalanced brackets or quotes in expr")
            else:
                check_metric_names(rw, expr)
    notes.append(f"rules file: {len(names)} groups, {n_alerts} alerts")

dash_path = os.path.join(k8s, "monitoring", "grafana-dashboard.json")
try:
    with open(dash_path) as fh:
        dash = json.load(fh)
    def walk_panels(ps):
        for p in ps:
            yield p
            yield from walk_panels(p.get("panels", []))
    n_targets = 0
    for p in walk_panels(dash.get("panels", [])):
        for t in p.get("targets", []):
            n_targets += 1
            w = f"{rel(dash_path)} panel {p.get('title')!r}"
            if not balanced(t.get("expr", "")):
                err(w, "unbalanced brackets or quotes in expr")
            check_metric_names(w, t.get("expr", ""))
    if n_targets == 0:
        err(rel(dash_path), "dashboard has no queries")
    notes.append(f"dashboard: {n_targets} queries")
except (OSError, ValueError) as e:
    err(rel(dash_path), f"cannot read: {e}")


# ---------------------------------------------------------------------------
# 3/4. workload checks, on a list of manifests (raw base or rendered overlay)
# ---------------------------------------------------------------------------
def ms(v):
    try:
        return int(str(v))
    except ValueError:
        return None


def matches(selector, labels):
    ml = (selector or {}).get("matchLabels") or {}
    return bool(ml) and all(labels.get(k) == v for k, v in ml.items())


def check_manifests(label, docs, strict_images=False):
    by_kind = {}
    for d in docs:
        if isinstance(d, dict) and "kind" in d:
            by_kind.setdefault(d["kind"], []).append(d)
    configmaps = {d["metadata"]["name"]: d.get("data") or {} for d in by_kind.get("ConfigMap", [])}
    secrets = {d["metadata"]["name"]: d for d in by_kind.get("Secret", [])}
    deployments = by_kind.get("Deployment", [])
    run_as = set()
    seen = set()
    if len(deployments) != len(SERVICES):
        err(label, f"expected {len(SERVICES)} Deployments, found {len(deployments)}")
    for dep in deployments:
        name = dep["metadata"]["name"]
        w = f"{label} Deployment/{name}"
        tmpl = dep["spec"]["template"]
        pod = tmpl["spec"]
        containers = pod.get("containers") or []
        if len(containers) != 1:
            err(w, "expected exactly one container")
            continue
        c = containers[0]
        cmd = (c.get("command") or []) + (c.get("args") or [])
        svc = None
        if cmd:
            m = re.fullmatch(r"smsflow-(\w+)", os.path.basename(cmd[0]))
            svc = m.group(1) if m and m.group(1) in SERVICES else None
        if svc is None:
            err(w, f"command {cmd!r} does not start one of smsflow-{{{','.join(SERVICES)}}}")
            continue
        seen.add(svc)
        spec = SERVICES[svc]
        if not matches(dep["spec"].get("selector"), tmpl["metadata"].get("labels") or {}):
            err(w, "selector does not match the pod template labels")

        # --- probes
        rp = c.get("readinessProbe")
        if not rp:
            err(w, "no readinessProbe")
        elif (rp.get("grpc") or {}).get("port") != spec["grpc"]:
            err(w, f"readinessProbe must be a grpc probe on port {spec['grpc']}")
        if not c.get("livenessProbe"):
            err(w, "no livenessProbe")

        # --- resources
        res = c.get("resources") or {}
        for kind in ("requests", "limits"):
            for r in ("cpu", "memory"):
                if not (res.get(kind) or {}).get(r):
                    err(w, f"resources.{kind}.{r} not set")

        # --- security
        psc, csc = pod.get("securityContext") or {}, c.get("securityContext") or {}
        if not (csc.get("runAsNonRoot") or psc.get("runAsNonRoot")):
            err(w, "runAsNonRoot not set")
        if csc.get("readOnlyRootFilesystem") is not True:
            err(w, "readOnlyRootFilesystem is not true")
        if csc.get("allowPrivilegeEscalation") is not False:
            err(w, "allowPrivilegeEscalation is not false")
        if "ALL" not in ((csc.get("capabilities") or {}).get("drop") or []):
            err(w, "capabilities do not drop ALL")
        uid = csc.get("runAsUser", psc.get("runAsUser"))
        if uid is not None:
            run_as.add(uid)
        if pod.get("enableServiceLinks") is not False:
            err(w, "enableServiceLinks must be false (injected <SERVICE>_* variables "
                   "named SMSFLOW_* make the binary exit 2)")

        # --- ports and scraping
        ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
        for pn in ("grpc", "metrics"):
            if ports.get(pn) != spec[pn]:
                err(w, f"container port {pn!r} is {ports.get(pn)}, the binary listens on {spec[pn]}")
        ann = tmpl["metadata"].get("annotations") or {}
        if ann.get("prometheus.io/scrape") != "true" or ann.get("prometheus.io/port") != str(spec["metrics"]):
            err(w, f"pod needs prometheus.io/scrape \"true\" and prometheus.io/port \"{spec['metrics']}\"")

        # --- environment
        env = {}
        for e in c.get("env") or []:
            env[e["name"]] = e.get("value")
        for ef in c.get("envFrom") or []:
            prefix = ef.get("prefix", "")
            if "configMapRef" in ef:
                ref = ef["configMapRef"]["name"]
                if ref not in configmaps:
                    err(w, f"envFrom ConfigMap {ref!r} not found, cannot check its keys")
                    continue
                for k, v in configmaps[ref].items():
                    env[prefix + k] = v
            elif "secretRef" in ef:
                ref = ef["secretRef"]["name"]
                if ref not in secrets:
                    err(w, f"envFrom Secret {ref!r} not in the manifests, cannot check its keys")
                    continue
                for k in list((secrets[ref].get("data") or {})) + list((secrets[ref].get("stringData") or {})):
                    env[prefix + k] = None
        for k in sorted(env):
            if k.startswith("SMSFLOW_") and k not in spec["env"]:
                err(w, f"{k} is not read by smsflow-{svc} (it would exit with code 2)")
        grace_ms = ms(env.get("SMSFLOW_SHUTDOWN_GRACE_MS") or DEFAULT_GRACE_MS)
        flush_ms = ms(env.get("SMSFLOW_KAFKA_DELIVERY_TIMEOUT_MS") or DEFAULT_DELIVERY_TIMEOUT_MS)
        for k, v in env.items():
            if k.endswith("_MS") and k.startswith("SMSFLOW_") and ms(v) is None:
                err(w, f"{k}={v!r} is not an integer")
        pre = ((c.get("lifecycle") or {}).get("preStop") or {})
        pre_s = 0
        if "sleep" in pre:
            pre_s = int(pre["sleep"].get("seconds", 0))
        elif (pre.get("exec") or {}).get("command", [""])[0].endswith("sleep"):
            pre_s = int(pre["exec"]["command"][1])
        tgp = pod.get("terminationGracePeriodSeconds", 30)
        if grace_ms is not None and flush_ms is not None and tgp * 1000 <= pre_s * 1000 + grace_ms + flush_ms:
            err(w, f"terminationGracePeriodSeconds {tgp} s does not cover preStop {pre_s} s + "
                   f"shutdown grace {grace_ms} ms + Kafka flush {flush_ms} ms")
        tf = env.get("SMSFLOW_TENANTS_FILE")
        if not tf:
            err(w, "SMSFLOW_TENANTS_FILE not set (required by every service)")
        else:
            mounts = [m["mountPath"].rstrip("/") for m in c.get("volumeMounts") or []]
            if os.path.dirname(tf) not in mounts:
                err(w, f"SMSFLOW_TENANTS_FILE {tf} is not inside a mounted volume ({mounts})")

        # --- image
        image = c.get("image", "")
        unpinned = ":" not in image.rsplit("/", 1)[-1] and "@" not in image
        if strict_images and (unpinned or image.endswith((":latest", ":dev"))):
            err(w, f"image {image!r} is not pinned to a release tag or digest")

        # --- companions
        pl = tmpl["metadata"].get("labels") or {}
        svcs = [s for s in by_kind.get("Service", []) if matches({"matchLabels": s["spec"].get("selector")}, pl)]
        if not svcs:
            err(w, "no Service selects it")
        for s in svcs:
            sp = {p.get("name"): p for p in s["spec"].get("ports") or []}
            for pn in ("grpc", "metrics"):
                if pn not in sp or sp[pn].get("port") != spec[pn] or sp[pn].get("targetPort") not in (pn, spec[pn]):
                    err(f"{label} Service/{s['metadata']['name']}", f"port {pn!r} should be {spec[pn]} -> {pn}")
        if not any(matches(p["spec"].get("selector"), pl) for p in by_kind.get("PodDisruptionBudget", [])):
            err(w, "no PodDisruptionBudget selects it")
        hpas = [h for h in by_kind.get("HorizontalPodAutoscaler", [])
                if h["spec"]["scaleTargetRef"].get("kind") == "Deployment"
                and h["spec"]["scaleTargetRef"].get("name") == name]
        if svc in HPA_SERVICES:
            if not hpas:
                err(w, "no HorizontalPodAutoscaler targets it")
            elif "replicas" in dep["spec"]:
                err(w, "has a fixed `replicas` although an HPA owns the count")
            for h in hpas:
                if not any(m.get("type") == "Resource" and m["resource"]["name"] == "cpu"
                           for m in h["spec"].get("metrics") or []):
                    err(f"{label} HPA/{h['metadata']['name']}", "does not scale on CPU")
    missing = set(SERVICES) - seen
    if missing:
        err(label, f"no Deployment for {sorted(missing)}")
    return run_as


# Raw base: resolve the base's configMapGenerator literals into ConfigMaps.
base_dir = os.path.join(k8s, "base")
base_kz = kustomizations.get(base_dir, {})
base_docs = []
for r in base_kz.get("resources", []):
    base_docs += docs_by_file.get(os.path.join(base_dir, r), [])
def literal_map(gen):
    return dict(l.split("=", 1) for l in gen.get("literals", []))
for gen in base_kz.get("configMapGenerator", []):
    base_docs.append({"kind": "ConfigMap", "metadata": {"name": gen["name"]}, "data": literal_map(gen)})
run_as = check_manifests("base", base_docs)

# Which services consume each generated ConfigMap, to check overlay literals.
consumers = {}
for d in base_docs:
    if d.get("kind") == "Deployment":
        c = d["spec"]["template"]["spec"]["containers"][0]
        m = re.search(r"smsflow-(\w+)$", (c.get("command") or [""])[0])
        for ef in c.get("envFrom") or []:
            if "configMapRef" in ef and m:
                consumers.setdefault(ef["configMapRef"]["name"], set()).add(m.group(1))
for kdir, kz in kustomizations.items():
    for gen in kz.get("configMapGenerator", []):
        for svc in consumers.get(gen["name"], set()):
            for k in literal_map(gen):
                if k.startswith("SMSFLOW_") and k not in SERVICES.get(svc, {}).get("env", set()):
                    err(rel(os.path.join(kdir, "kustomization.yaml")),
                        f"ConfigMap {gen['name']} key {k} reaches smsflow-{svc}, which does not read it")

# ---------------------------------------------------------------------------
# 5. example tenants file (lib/config/tenants.h)
# ---------------------------------------------------------------------------
tp = os.path.join(k8s, "overlays", "local", "tenants.yaml")
td = (docs_by_file.get(tp) or [None])[0]
TENANT_KEYS = {"id", "name", "time_zone", "webhook_auth_token", "brand", "numbers"}
BRAND_KEYS = {"name", "description", "frequency", "support"}
NUMBER_KEYS = {"number", "type", "scope", "rate"}
NUMBER_TYPES = {"long_code", "ten_dlc", "toll_free", "short_code"}
if not isinstance(td, dict) or set(td) != {"tenants"} or not isinstance(td["tenants"], list):
    err(rel(tp), "must be a mapping with only a `tenants` list")
else:
    for i, t in enumerate(td["tenants"]):
        w = f"{rel(tp)} tenants[{i}]"
        if not isinstance(t, dict):
            err(w, "not a mapping")
            continue
        if set(t) - TENANT_KEYS:
            err(w, f"unknown keys {sorted(set(t) - TENANT_KEYS)}")
        if not re.fullmatch(r"[a-z0-9_-]{1,64}", str(t.get("id", ""))):
            err(w, "id missing or not [a-z0-9_-]{1,64}")
        if set((t.get("brand") or {})) != BRAND_KEYS:
            err(w, f"brand needs exactly {sorted(BRAND_KEYS)}")
        if not t.get("numbers"):
            err(w, "needs at least one number")
        for j, n in enumerate(t.get("numbers") or []):
            if set(n) - NUMBER_KEYS or "number" not in n or n.get("type", "long_code") not in NUMBER_TYPES:
                err(f"{w}.numbers[{j}]", "bad number entry")

# ---------------------------------------------------------------------------
# 6. Dockerfile user vs pod runAsUser
# ---------------------------------------------------------------------------
dockerfile = os.path.join(root, "deploy", "docker", "Dockerfile")
try:
    with open(dockerfile) as fh:
        text = fh.read()
    users = re.findall(r"^USER\s+(\d+)", text, re.M)
    if not users:
        err(rel(dockerfile), "final stage needs a numeric USER (runAsNonRoot cannot verify a name)")
    elif run_as and {int(users[-1])} != run_as:
        err(rel(dockerfile), f"USER {users[-1]} differs from the pods' runAsUser {sorted(run_as)}")
    for s in SERVICES:
        if f"smsflow-{s}" not in text and "smsflow-$s" not in text:
            err(rel(dockerfile), f"does not ship smsflow-{s}")
except OSError as e:
    err(rel(dockerfile), f"cannot read: {e}")

# ---------------------------------------------------------------------------
# 7. kustomize build
# ---------------------------------------------------------------------------
targets = [("overlays/local", False), ("overlays/production", True), ("monitoring", None)]
if not kustomize_cmd:
    notes.append("SKIPPED kustomize build: neither kustomize nor kubectl is installed")
else:
    for t, strict in targets:
        d = os.path.join(k8s, t)
        p = subprocess.run(shlex.split(kustomize_cmd) + [d], capture_output=True, text=True)
        if p.returncode != 0:
            err(rel(d), f"`{kustomize_cmd}` failed: {p.stderr.strip()}")
            continue
        rendered = [x for x in yaml.safe_load_all(p.stdout) if x]
        if strict is not None:
            check_manifests(f"{t} (rendered)", rendered, strict_images=strict)
            for x in rendered:
                if x.get("metadata", {}).get("namespace", "smsflow") != "smsflow" and x["kind"] != "Namespace":
                    err(f"{t} (rendered)", f"{x['kind']}/{x['metadata']['name']} outside namespace smsflow")
        notes.append(f"`{kustomize_cmd} {t}`: {len(rendered)} objects")

for n in notes:
    print(f"validate: {n}")
if errors:
    for e in errors:
        print(f"validate: FAIL {e}", file=sys.stderr)
    print(f"validate: {len(errors)} problem(s)", file=sys.stderr)
    sys.exit(1)
print("validate: OK")
PY

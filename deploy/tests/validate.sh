#!/usr/bin/env bash
# Offline checks of the Kubernetes manifests, monitoring assets and Dockerfile
# under deploy/. No cluster and no network needed.
#
#   deploy/tests/validate.sh [repo-root] [build-dir]
#
# What each service reads (its SMSFLOW_* variables and default ports) comes
# from the binaries themselves when a build directory is known: every
# `--foo-bar` in `smsflow-<svc> --help` is variable SMSFLOW_FOO_BAR, and the
# defaults of --grpc-address / --metrics-address / --webhook-address give the
# ports. The build directory is the second argument, else
# $DEPLOY_VALIDATE_BUILD_DIR, else the CMake build tree ctest runs this from
# (cwd or a parent holding a CMakeCache.txt for this source tree). Without one
# (or without the binaries) a static copy of those lists below is used; when
# both exist, drift between them is reported as a note.
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
#      longer than the drain, and every SMSFLOW_* variable it gets (env and
#      envFrom ConfigMaps) is one that service reads -- a service exits 2 on
#      any other; every file variable (tenants, rules, consent config, policy,
#      intent model, area-code table, templates) a service needs is set and
#      points into a mounted volume that carries that key, or into
#      /usr/share/smsflow which the Dockerfile fills; no SMSFLOW_REBUILD_VIEW;
#      ingest: webhook port, SMSFLOW_WEBHOOK_PUBLIC_URL set (https in production);
#   4. Services (incl. ingest's webhook port), PodDisruptionBudgets and HPAs
#      (ingest, sender) match the Deployments; the webhooks Ingress routes
#      /v1/webhooks/ to ingest's webhook port (host = the public URL's host in
#      production); overlay ConfigMap keys are allowed for every consumer;
#   5. the local overlay's example tenants file has the tenants.h format, and
#      its config files have the same content as deploy/local/*.yaml;
#   6. the Dockerfile's numeric USER equals the pods' runAsUser; it builds the
#      intent model target and ships the data files the pods point at;
#   7. if kustomize or kubectl is installed: `kustomize build` of each overlay
#      and of monitoring succeeds and the rendered output passes check 3/4
#      (skipped with a message otherwise).
set -euo pipefail

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
root="$(cd "$root" && pwd)"

build_dir="${2:-${DEPLOY_VALIDATE_BUILD_DIR:-}}"
if [ -z "$build_dir" ]; then
  # ctest runs this test in <build>/deploy: use that build tree if it is ours.
  d="$PWD"
  for _ in 1 2 3; do
    if [ -f "$d/CMakeCache.txt" ] &&
       grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$root" "$d/CMakeCache.txt"; then
      build_dir="$d"
      break
    fi
    d="$(dirname "$d")"
  done
fi

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

exec "$py" - "$root" "$kustomize_cmd" "$build_dir" <<'PY'
import json
import os
import re
import shlex
import subprocess
import sys

import yaml

root, kustomize_cmd, build_dir = sys.argv[1], sys.argv[2], sys.argv[3]
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
# Static fallback, copied from `smsflow-<svc> --help` (keep in step; a note
# reports drift whenever the binaries are available).
COMMON_ENV = {
    "SMSFLOW_GRPC_ADDRESS", "SMSFLOW_METRICS_ADDRESS", "SMSFLOW_LOG_LEVEL",
    "SMSFLOW_SHUTDOWN_GRACE_MS", "SMSFLOW_READY_FILE", "SMSFLOW_KAFKA_BROKERS",
    "SMSFLOW_KAFKA_DELIVERY_TIMEOUT_MS", "SMSFLOW_KAFKA_CONSUMER_GROUP",
    "SMSFLOW_REDIS_ADDRESS", "SMSFLOW_REDIS_POOL_SIZE", "SMSFLOW_REDIS_TIMEOUT_MS",
    "SMSFLOW_TENANTS_FILE",
}
STATIC = {
    "ingest": {"grpc": 7101, "metrics": 9101, "webhook": 8101, "env": COMMON_ENV | {
        "SMSFLOW_MAX_BODY_CHARS", "SMSFLOW_MAX_BATCH", "SMSFLOW_DEDUP_WINDOW_MS",
        "SMSFLOW_WEBHOOK_ADDRESS", "SMSFLOW_WEBHOOK_PUBLIC_URL", "SMSFLOW_WEBHOOK_MAX_BODY_BYTES"}},
    "router": {"grpc": 7102, "metrics": 9102, "env": COMMON_ENV | {
        "SMSFLOW_RULES_FILE", "SMSFLOW_INTENT_MODEL", "SMSFLOW_RULES_POLL_MS",
        "SMSFLOW_AUTO_REPLY_VALIDITY_MS", "SMSFLOW_SUBSCRIBER_QUEUE",
        "SMSFLOW_INTENT_MIN_CONFIDENCE", "SMSFLOW_COMPLIANCE_MIN_CONFIDENCE"}},
    "consent": {"grpc": 7103, "metrics": 9103, "env": COMMON_ENV | {
        "SMSFLOW_CONSENT_CONFIG", "SMSFLOW_POLICY_FILE", "SMSFLOW_AREA_CODE_TABLE",
        "SMSFLOW_REBUILD_VIEW", "SMSFLOW_RESTORE_VIEW"}},
    "sender": {"grpc": 7104, "metrics": 9104, "env": COMMON_ENV | {
        "SMSFLOW_TEMPLATES_FILE", "SMSFLOW_MAX_SEGMENTS", "SMSFLOW_MAX_BATCH",
        "SMSFLOW_STREAM_CHUNK", "SMSFLOW_OTP_VALIDITY_MS", "SMSFLOW_DEFAULT_VALIDITY_MS",
        "SMSFLOW_SMART_ENCODING", "SMSFLOW_IDEMPOTENCY_WINDOW_MS", "SMSFLOW_STATUS_TTL_MS",
        "SMSFLOW_WATCH_BLOCK_MS", "SMSFLOW_TENANT_RATE", "SMSFLOW_DAILY_CAP",
        "SMSFLOW_CARRIER_RATE", "SMSFLOW_CLAIM_TAKEOVER_MS", "SMSFLOW_HOLD_HORIZON_MS",
        "SMSFLOW_SIM_MIN_LATENCY_MS", "SMSFLOW_SIM_MAX_LATENCY_MS", "SMSFLOW_SIM_THROTTLE_RATIO",
        "SMSFLOW_SIM_FAILURE_RATIO", "SMSFLOW_SIM_UNDELIVERED_RATIO", "SMSFLOW_SIM_WINDOW",
        "SMSFLOW_SIM_RECEIPT_DELAY_MS"}},
}

FLAG_LINE = re.compile(r"^\s+(?:-\w,)?--([a-z0-9][a-z0-9-]*)(?:\s+[A-Z:]+(?:=(\S*))?)?")


def from_help(svc):
    """Flags and default ports of build_dir's smsflow-<svc>, or None."""
    exe = os.path.join(build_dir, "services", svc, f"smsflow-{svc}")
    if not os.access(exe, os.X_OK):
        return None
    # No SMSFLOW_* from our environment: the binary would exit 2 on a stray one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMSFLOW_")}
    try:
        p = subprocess.run([exe, "--help"], capture_output=True, text=True, env=env, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as e:
        err(rel(exe), f"--help failed: {e}")
        return None
    if p.returncode != 0:
        err(rel(exe) if exe.startswith(root) else exe, f"--help exited {p.returncode}: {p.stderr.strip()[:200]}")
        return None
    spec, envs = {}, set()
    for line in p.stdout.splitlines():
        m = FLAG_LINE.match(line)
        if not m or m.group(1) == "help":
            continue
        flag, default = m.group(1), m.group(2)
        envs.add("SMSFLOW_" + flag.upper().replace("-", "_"))
        if flag in ("grpc-address", "metrics-address", "webhook-address") and default:
            port = default.rsplit(":", 1)[-1]
            if port.isdigit():
                spec[flag.split("-")[0]] = int(port)
    if not envs:
        err(exe, "--help lists no flags (output format changed?)")
        return None
    spec["env"] = envs
    return spec


SERVICES = {}
derived = []
for svc, st in STATIC.items():
    got = from_help(svc) if build_dir else None
    if got is None:
        SERVICES[svc] = st
        continue
    derived.append(svc)
    SERVICES[svc] = got
    plus, minus = sorted(got["env"] - st["env"]), sorted(st["env"] - got["env"])
    ports = {k: (st.get(k), got.get(k)) for k in ("grpc", "metrics", "webhook") if st.get(k) != got.get(k)}
    if plus or minus or ports:
        notes.append(f"static list for {svc} is out of date (binary adds {plus}, drops {minus}, "
                     f"ports {ports}); update STATIC in deploy/tests/validate.sh")
if derived:
    notes.append(f"variables and ports from --help of {build_dir}/services/*/smsflow-* "
                 f"({', '.join(derived)}); static list for the rest" if len(derived) < len(SERVICES)
                 else f"variables and ports from --help of {build_dir}/services/*/smsflow-*")
else:
    notes.append("variables and ports from the static list (no build dir with the binaries)")

# File settings: variable -> (services that must have it set, or None if optional).
FILE_VARS = {
    "SMSFLOW_TENANTS_FILE": {"ingest", "router", "consent", "sender"},
    "SMSFLOW_RULES_FILE": {"router"},
    "SMSFLOW_INTENT_MODEL": {"router"},      # default is a build-tree path
    "SMSFLOW_CONSENT_CONFIG": {"consent"},
    "SMSFLOW_POLICY_FILE": {"consent"},
    "SMSFLOW_AREA_CODE_TABLE": {"consent"},  # default is a source-tree path
    "SMSFLOW_TEMPLATES_FILE": set(),         # optional
}
IMAGE_DATA_DIR = "/usr/share/smsflow"
# One-shot modes that must never be set on a long-running Deployment.
FORBIDDEN_ENV = {"SMSFLOW_REBUILD_VIEW", "SMSFLOW_RESTORE_VIEW"}
WEBHOOK_PREFIX = "/v1/webhooks/"
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
            "smsflow_consent_view_ready", "smsflow_consent_view_restores_total",
            "smsflow_consent_deferred_ready", "smsflow_consent_deferred_restores_total",
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


PORT_NAMES = ("grpc", "metrics", "webhook")
image_files = {}   # basename under IMAGE_DATA_DIR -> who needs it


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
    public_hosts = set()
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
        for pn in PORT_NAMES:
            if pn in spec and ports.get(pn) != spec[pn]:
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
            if k in FORBIDDEN_ENV:
                err(w, f"{k} is a one-shot mode (the process exits); run it as a Job, not here")
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
        # --- files: set where needed, and present in the pod
        mounts = {}
        vols = {v["name"]: v for v in pod.get("volumes") or []}
        for m in c.get("volumeMounts") or []:
            mounts[m["mountPath"].rstrip("/")] = vols.get(m["name"], {})
        for var, needed in FILE_VARS.items():
            path = env.get(var)
            if var not in spec["env"]:
                continue
            if not path:
                if svc in needed:
                    err(w, f"{var} not set (smsflow-{svc} needs it; its default is not in the image)")
                continue
            d, base = os.path.dirname(path), os.path.basename(path)
            if d == IMAGE_DATA_DIR:
                image_files.setdefault(base, set()).add(f"{w} {var}")
                continue
            if d not in mounts:
                err(w, f"{var} {path} is neither inside a mounted volume ({sorted(mounts)}) "
                       f"nor in {IMAGE_DATA_DIR}")
                continue
            vol = mounts[d]
            src = vol.get("configMap") or vol.get("secret") or {}
            items = src.get("items")
            if items is not None:
                if base not in [i.get("path") for i in items]:
                    err(w, f"{var} {path}: volume {vol.get('name')!r} does not project {base}")
                    continue
                key = next(i["key"] for i in items if i.get("path") == base)
            else:
                key = base
            if "configMap" in vol:
                cm = configmaps.get(src.get("name"))
                if cm is None:
                    err(w, f"{var}: ConfigMap {src.get('name')!r} not in the manifests")
                elif key not in cm:
                    err(w, f"{var}: ConfigMap {src.get('name')!r} has no key {key!r}")
            elif "secret" in vol:
                sec = secrets.get(src.get("secretName"))
                if sec is not None and key not in {**(sec.get("data") or {}), **(sec.get("stringData") or {})}:
                    err(w, f"{var}: Secret {src.get('secretName')!r} has no key {key!r}")
            else:
                err(w, f"{var} {path}: volume {vol.get('name')!r} is not a ConfigMap or Secret")

        # --- webhooks (ingest)
        if "webhook" in spec:
            url = env.get("SMSFLOW_WEBHOOK_PUBLIC_URL")
            if not url:
                err(w, "SMSFLOW_WEBHOOK_PUBLIC_URL not set: providers sign the public URL, "
                       "the default http://127.0.0.1:8101 never matches in a cluster")
            elif not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d+)?", url):
                err(w, f"SMSFLOW_WEBHOOK_PUBLIC_URL {url!r} must be scheme://host[:port], no path")
            elif strict_images and not url.startswith("https://"):
                err(w, f"SMSFLOW_WEBHOOK_PUBLIC_URL {url!r} must be https in production")
            else:
                public_hosts.add(url.split("/")[2].split(":")[0])

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
            for pn in PORT_NAMES:
                if pn in spec and (pn not in sp or sp[pn].get("port") != spec[pn]
                                   or sp[pn].get("targetPort") not in (pn, spec[pn])):
                    err(f"{label} Service/{s['metadata']['name']}", f"port {pn!r} should be {spec[pn]} -> {pn}")
        if "webhook" in spec:
            routed = False
            for ing in by_kind.get("Ingress", []):
                iw = f"{label} Ingress/{ing['metadata']['name']}"
                for rule in ing["spec"].get("rules") or []:
                    for hp in (rule.get("http") or {}).get("paths") or []:
                        be = (hp.get("backend") or {}).get("service") or {}
                        if be.get("name") not in [x["metadata"]["name"] for x in svcs]:
                            continue
                        port = be.get("port") or {}
                        if port.get("name") != "webhook" and port.get("number") != spec["webhook"]:
                            err(iw, f"backend must be port 'webhook' ({spec['webhook']}), not {port}")
                        if hp.get("path") != WEBHOOK_PREFIX or hp.get("pathType") != "Prefix":
                            err(iw, f"path must be {WEBHOOK_PREFIX!r} with pathType Prefix")
                        routed = True
                        if strict_images and public_hosts and rule.get("host") not in public_hosts:
                            err(iw, f"host {rule.get('host')!r} is not the host of "
                                    f"SMSFLOW_WEBHOOK_PUBLIC_URL ({sorted(public_hosts)})")
            if not routed:
                err(w, f"no Ingress routes {WEBHOOK_PREFIX} to its webhook port")
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
def file_keys(gen):
    return {f.split("=", 1)[0] if "=" in f else os.path.basename(f): f.split("=", 1)[-1]
            for f in gen.get("files", [])}
for gen in base_kz.get("configMapGenerator", []):
    data = literal_map(gen)
    data.update({k: "" for k in file_keys(gen)})
    base_docs.append({"kind": "ConfigMap", "metadata": {"name": gen["name"]}, "data": data})
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
TENANT_KEYS = {"id", "name", "time_zone", "webhook_auth_token", "brand", "numbers", "keywords",
               "limits"}
KEYWORD_KEYS = {"opt_out", "opt_in", "help", "removed", "plain_language_opt_out"}
LIMIT_KEYS = {"rate", "daily_segments"}
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
        if set(t.get("keywords") or {}) - KEYWORD_KEYS:
            err(f"{w}.keywords", f"unknown keys {sorted(set(t['keywords']) - KEYWORD_KEYS)}")
        if {"STOP", "START", "HELP"} & {str(k).upper() for k in (t.get("keywords") or {}).get("removed") or []}:
            err(f"{w}.keywords.removed", "STOP, START and HELP cannot be removed")
        if set(t.get("limits") or {}) - LIMIT_KEYS:
            err(f"{w}.limits", f"unknown keys {sorted(set(t['limits']) - LIMIT_KEYS)}")

# The local overlay's config files are copies of deploy/local/*.yaml.
local_kz = kustomizations.get(os.path.join(k8s, "overlays", "local"), {})
for gen in local_kz.get("configMapGenerator", []) + local_kz.get("secretGenerator", []):
    for key, f in file_keys(gen).items():
        copy = os.path.join(k8s, "overlays", "local", f)
        orig = os.path.join(root, "deploy", "local", key)
        if os.path.exists(orig) and os.path.exists(copy):
            # Same content (comments may differ).
            with open(copy) as a, open(orig) as b:
                if yaml.safe_load(a) != yaml.safe_load(b):
                    err(rel(copy), f"differs from {rel(orig)}; copy it again")

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
    # Data files the pods point at must be copied to IMAGE_DATA_DIR.
    if image_files:
        if not re.search(r"^COPY\b.*\s" + re.escape(IMAGE_DATA_DIR) + r"/?\s*$", text, re.M):
            err(rel(dockerfile), f"no COPY into {IMAGE_DATA_DIR}/ (the pods read files there)")
        for base, who in sorted(image_files.items()):
            if not re.search(r"[/\s]" + re.escape(base) + r"\b", text):
                err(rel(dockerfile), f"does not put {base} into {IMAGE_DATA_DIR} ({sorted(who)[0]})")
    if "intent_model.bin" in image_files and "smsflow_router_intent_model" not in text:
        err(rel(dockerfile), "does not build target smsflow_router_intent_model (the router's model)")
    if "8101" not in " ".join(re.findall(r"^EXPOSE\s+(.*)$", text, re.M)):
        err(rel(dockerfile), "does not EXPOSE ingest's webhook port 8101")
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

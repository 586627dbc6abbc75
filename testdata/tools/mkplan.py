#!/usr/bin/env python3
"""mkplan: turn a compact fixture spec into a `terraform show -json` plan.

Usage:
    python3 testdata/tools/mkplan.py SPEC.spec.json...   # writes SPEC.json next to each spec
    python3 testdata/tools/mkplan.py --all               # every *.spec.json under testdata/
    python3 testdata/tools/mkplan.py --check --all       # exit 1 if a generated plan is stale

The output has the shape Terraform 1.9 writes (format_version 1.2): `variables`,
`planned_values` (nested `child_modules` per module instance), `resource_changes`
(`after` with unknown leaves removed, `after_unknown` and `after_sensitive` mirrors),
`prior_state` (existing objects and data sources read during planning) and
`configuration` (module-relative resources, `module_calls` with expressions,
variables and outputs). See /work/shared/reference/plan-format.md for the format.

Spec (JSON):
{
  "description": "...",
  "terraform_version": "1.9.8",                       # optional
  "variables": {"desired": {"value": 6}, "pw": {"value": "x", "sensitive": true}},
  "outputs": {"cluster": {"value": "prod", "expression": {"references": [...]}, "sensitive": false}},
  "resources": [
    {"address": "module.app[\"blue\"].aws_ecs_service.api",
     "values": {...},                        # planned values (after); see value helpers below
     "before": {...},                        # optional prior values for update/no-op/replace/delete
     "unknown": ["cluster", "network_configuration.0.subnets"],
     "sensitive": ["container_definitions"],
     "action": "create",   # create|update|no-op|replace|delete|read|data
     "config": {"cluster": {"references": ["var.cluster_id"]},
                "count_expression": {...}, "for_each_expression": {...}}}   # module-relative
  ],
  "modules": {"app": {"source": "./modules/app", "for_each": true, "count": false,
                      "expressions": {...}, "variables": {"cluster_id": {}},
                      "outputs": {"name": {"expression": {...}, "sensitive": false}},
                      "modules": {...nested calls...}}}
}

Value helpers inside "values"/"before":
  - aws_ecs_task_definition.container_definitions given as a JSON array is encoded to the
    minified, key-sorted string the AWS provider plans.
  - {"$json": X}    -> the JSON encoding of X (a string)
  - {"$base64": S}  -> base64 of the UTF-8 string S (launch template user_data)
"""

import argparse
import base64
import copy
import json
import os
import re
import sys

PROVIDER = "registry.terraform.io/hashicorp/aws"
DEFAULT_TF_VERSION = "1.9.8"
TIMESTAMP = "2025-01-15T10:00:00Z"
ACTIONS = {
    "create": ["create"],
    "update": ["update"],
    "no-op": ["no-op"],
    "replace": ["delete", "create"],
    "delete": ["delete"],
    "read": ["read"],
    "data": None,  # read during planning: prior_state only
}
# Types whose schema_version is not 0 in the AWS provider (only cosmetic, but realistic).
SCHEMA_VERSIONS = {
    "aws_ecs_task_definition": 1,
    "aws_instance": 1,
    "aws_subnet": 1,
    "aws_vpc": 1,
    "aws_autoscaling_group": 1,
}
SPEC_KEYS = {"description", "terraform_version", "variables", "outputs", "resources", "modules"}
RESOURCE_KEYS = {"address", "values", "before", "unknown", "sensitive", "action", "config"}
MODULE_KEYS = {"source", "for_each", "count", "expressions", "variables", "outputs", "modules"}


class SpecError(Exception):
    pass


# ---------------------------------------------------------------- addresses

def split_address(address):
    """Split an absolute address into steps, keeping bracketed keys (which may contain dots)."""
    steps, cur, depth, in_str, esc = [], "", 0, False, False
    for ch in address:
        if in_str:
            cur += ch
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
            cur += ch
        elif ch == "[":
            depth += 1
            cur += ch
        elif ch == "]":
            depth -= 1
            cur += ch
        elif ch == "." and depth == 0:
            steps.append(cur)
            cur = ""
        else:
            cur += ch
    if in_str or depth != 0:
        raise SpecError(f"unbalanced brackets or quotes in address {address!r}")
    steps.append(cur)
    return steps


STEP_RE = re.compile(r'^([A-Za-z_][A-Za-z0-9_-]*)(?:\[(.*)\])?$')


def parse_step(step, address):
    m = STEP_RE.match(step)
    if not m:
        raise SpecError(f"bad address step {step!r} in {address!r}")
    name, key = m.group(1), m.group(2)
    if key is None:
        return name, None
    try:
        return name, json.loads(key)
    except json.JSONDecodeError:
        raise SpecError(f"bad instance key [{key}] in {address!r} (use [0] or [\"name\"])")


def parse_address(address):
    """Return (module_path, mode, type, name, index) with module_path [(call, key), ...]."""
    steps = split_address(address)
    modules = []
    i = 0
    while i < len(steps) and steps[i] == "module":
        if i + 1 >= len(steps):
            raise SpecError(f"address {address!r} ends after 'module'")
        modules.append(parse_step(steps[i + 1], address))
        i += 2
    mode = "managed"
    if i < len(steps) and steps[i] == "data":
        mode = "data"
        i += 1
    if len(steps) - i != 2:
        raise SpecError(f"address {address!r} must end in <type>.<name>[key]")
    type_, tkey = parse_step(steps[i], address)
    if tkey is not None:
        raise SpecError(f"resource type may not carry an index in {address!r}")
    name, index = parse_step(steps[i + 1], address)
    return modules, mode, type_, name, index


def key_suffix(key):
    return "" if key is None else "[" + json.dumps(key) + "]"


def module_instance_address(module_path):
    return ".".join(f"module.{call}{key_suffix(key)}" for call, key in module_path)


# ---------------------------------------------------------------- values

def encode_helpers(value, type_, top=True):
    if isinstance(value, dict):
        if set(value) == {"$json"}:
            return json.dumps(value["$json"], separators=(",", ":"), sort_keys=True)
        if set(value) == {"$base64"}:
            return base64.b64encode(value["$base64"].encode()).decode()
        out = {}
        for k, v in value.items():
            if (top and type_ == "aws_ecs_task_definition" and k == "container_definitions"
                    and isinstance(v, list)):
                out[k] = json.dumps(v, separators=(",", ":"), sort_keys=True)
            else:
                out[k] = encode_helpers(v, type_, False)
        return out
    if isinstance(value, list):
        return [encode_helpers(v, type_, False) for v in value]
    return value


def parse_path(dotted):
    return [int(p) if p.isdigit() else p for p in dotted.split(".")]


def mirror(value):
    """The after_unknown / after_sensitive skeleton: containers kept, known scalar leaves
    omitted in objects and `false` in arrays."""
    if isinstance(value, dict):
        return {k: mirror(v) for k, v in value.items() if isinstance(v, (dict, list))}
    if isinstance(value, list):
        return [mirror(v) if isinstance(v, (dict, list)) else False for v in value]
    return False


def set_flag(tree, path, values, what, address):
    """Set `true` at path in a mirror tree, creating containers as the values show them."""
    node, val = tree, values
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(step, int):
            if not isinstance(node, list):
                raise SpecError(f"{address}: {what} path {path} indexes a non-list")
            while len(node) <= step:
                node.append(False)
            if last:
                node[step] = True
                return
            if not isinstance(node[step], (dict, list)):
                nxt_is_list = isinstance(path[i + 1], int)
                node[step] = [] if nxt_is_list else {}
            node = node[step]
            val = val[step] if isinstance(val, list) and len(val) > step else None
        else:
            if not isinstance(node, dict):
                raise SpecError(f"{address}: {what} path {path} names a key of a non-object")
            if last:
                node[step] = True
                return
            if node.get(step) is True:
                return  # an ancestor is already wholly flagged
            if not isinstance(node.get(step), (dict, list)):
                nxt_is_list = isinstance(path[i + 1], int)
                node[step] = [] if nxt_is_list else {}
            node = node[step]
            val = val.get(step) if isinstance(val, dict) else None


def remove_path(values, path):
    """Remove an unknown leaf from `after`: object keys go away, list elements become null."""
    node = values
    for step in path[:-1]:
        if isinstance(step, int):
            if not isinstance(node, list) or len(node) <= step:
                return
        elif not isinstance(node, dict) or step not in node:
            return
        node = node[step]
    last = path[-1]
    if isinstance(last, int):
        if isinstance(node, list) and len(node) > last:
            node[last] = None
    elif isinstance(node, dict):
        node.pop(last, None)


def ensure_parents(values, path):
    """Unknown attributes inside nested blocks need their parent block in `after`."""
    node = values
    for i, step in enumerate(path[:-1]):
        nxt_is_list = isinstance(path[i + 1], int)
        if isinstance(step, int):
            if not isinstance(node, list):
                return
            while len(node) <= step:
                node.append([] if nxt_is_list else {})
            node = node[step]
        else:
            if not isinstance(node, dict):
                return
            if step not in node or node[step] is None:
                node[step] = [] if nxt_is_list else {}
            node = node[step]


# ---------------------------------------------------------------- module tree

class ModuleInstance:
    def __init__(self, address):
        self.address = address
        self.resources = []
        self.children = {}  # address -> ModuleInstance

    def to_json(self, root):
        out = {}
        if not root:
            out["address"] = self.address
        if self.resources:
            out["resources"] = sorted(self.resources, key=lambda r: r["address"])
        if self.children:
            out["child_modules"] = [c.to_json(False) for _, c in sorted(self.children.items())]
        return out


def module_node(root, module_path):
    node = root
    for i in range(len(module_path)):
        addr = module_instance_address(module_path[: i + 1])
        node = node.children.setdefault(addr, ModuleInstance(addr))
    return node


# ---------------------------------------------------------------- configuration

def module_config_for(spec_modules, call_path, address):
    """Walk the spec's module tree by call names; returns the module spec dict."""
    level, mod = spec_modules, None
    for call in call_path:
        if call not in level:
            raise SpecError(f"{address}: module call {call!r} is not declared in \"modules\"")
        mod = level[call]
        level = mod.get("modules", {})
    return mod


def build_configuration(spec, resources, instance_keys):
    def empty_module():
        return {"resources": [], "module_calls": {}, "variables": {}, "outputs": {}}

    def fill_module(mod_spec, call_path, target):
        for var, decl in (mod_spec.get("variables") or {}).items():
            target["variables"][var] = dict(decl)
        for out, decl in (mod_spec.get("outputs") or {}).items():
            o = {"expression": decl.get("expression", {})}
            if decl.get("sensitive"):
                o["sensitive"] = True
            target["outputs"][out] = o
        for call, sub in (mod_spec.get("modules") or {}).items():
            unknown = set(sub) - MODULE_KEYS
            if unknown:
                raise SpecError(f"module {call!r}: unknown keys {sorted(unknown)}")
            c = {"source": sub.get("source", f"./modules/{call}"),
                 "expressions": sub.get("expressions", {})}
            path = call_path + (call,)
            keys = sorted(instance_keys.get(path, set()), key=lambda k: (str(type(k)), k))
            fe, ct = sub.get("for_each"), sub.get("count")
            if fe:
                c["for_each_expression"] = fe if isinstance(fe, dict) else {
                    "constant_value": {str(k): {} for k in keys}}
            if ct:
                c["count_expression"] = ct if isinstance(ct, dict) else {
                    "constant_value": (max(keys) + 1) if keys else 0}
            child = empty_module()
            fill_module(sub, path, child)
            c["module"] = child
            target["module_calls"][call] = c
        return target

    root = empty_module()
    for var, decl in (spec.get("variables") or {}).items():
        d = {}
        if "default" in decl:
            d["default"] = decl["default"]
        if decl.get("sensitive"):
            d["sensitive"] = True
        root["variables"][var] = d
    for out, decl in (spec.get("outputs") or {}).items():
        o = {"expression": decl.get("expression", {})}
        if decl.get("sensitive"):
            o["sensitive"] = True
        root["outputs"][out] = o
    fill_module({"modules": spec.get("modules") or {}}, (), root)

    # One configuration resource per (module call path, mode, type, name).
    seen = {}
    for r in resources:
        call_path = tuple(c for c, _ in r["module_path"])
        key = (call_path, r["mode"], r["type"], r["name"])
        cfg = r["config"]
        if key in seen:
            # Instances of one block share its configuration; merge what each spec adds.
            exprs = seen[key]["expressions"]
            for k, v in cfg.items():
                if k not in ("count_expression", "for_each_expression"):
                    exprs.setdefault(k, v)
            continue
        target = root
        for call in call_path:
            target = target["module_calls"][call]["module"]
        rel = ("data." if r["mode"] == "data" else "") + f"{r['type']}.{r['name']}"
        entry = {"address": rel, "mode": r["mode"], "type": r["type"], "name": r["name"],
                 "provider_config_key": "aws",
                 "expressions": {k: v for k, v in cfg.items()
                                 if k not in ("count_expression", "for_each_expression")},
                 "schema_version": SCHEMA_VERSIONS.get(r["type"], 0)}
        if "count_expression" in cfg:
            entry["count_expression"] = cfg["count_expression"]
        elif "for_each_expression" in cfg:
            entry["for_each_expression"] = cfg["for_each_expression"]
        elif isinstance(r["index"], bool):
            pass
        elif isinstance(r["index"], int):
            entry["count_expression"] = {"references": []}
        elif isinstance(r["index"], str):
            entry["for_each_expression"] = {}
        seen[key] = entry
        target["resources"].append(entry)
    # count_expression with no references means a literal count: use the instance count.
    counts = {}
    for r in resources:
        if isinstance(r["index"], int) and not isinstance(r["index"], bool):
            k = (tuple(c for c, _ in r["module_path"]), r["mode"], r["type"], r["name"])
            counts[k] = max(counts.get(k, 0), r["index"] + 1)
    for k, entry in seen.items():
        if entry.get("count_expression") == {"references": []}:
            entry["count_expression"] = {"constant_value": counts.get(k, 0)}

    def prune(m):
        for k in ("resources", "module_calls", "variables", "outputs"):
            if not m[k]:
                del m[k]
        for c in m.get("module_calls", {}).values():
            prune(c["module"])
    prune(root)
    return {"provider_config": {"aws": {"name": "aws", "full_name": PROVIDER}},
            "root_module": root}


# ---------------------------------------------------------------- generation

def prepare(spec_path, spec):
    unknown = set(spec) - SPEC_KEYS
    if unknown:
        raise SpecError(f"unknown top-level keys {sorted(unknown)}")
    resources, seen = [], set()
    instance_keys = {}
    for i, rs in enumerate(spec.get("resources") or []):
        if "address" not in rs:
            raise SpecError(f"resources[{i}] has no address")
        bad = set(rs) - RESOURCE_KEYS
        if bad:
            raise SpecError(f"{rs['address']}: unknown keys {sorted(bad)}")
        address = rs["address"]
        if address in seen:
            raise SpecError(f"duplicate address {address}")
        seen.add(address)
        module_path, mode, type_, name, index = parse_address(address)
        action = rs.get("action", "data" if mode == "data" else "create")
        if action not in ACTIONS:
            raise SpecError(f"{address}: action {action!r} is not one of {sorted(ACTIONS)}")
        if mode == "data" and action not in ("data", "read"):
            raise SpecError(f"{address}: a data source's action is \"data\" or \"read\"")
        if mode == "managed" and action in ("data", "read"):
            raise SpecError(f"{address}: only data sources have action {action!r}")
        module_config_for(spec.get("modules") or {}, [c for c, _ in module_path], address)
        for depth in range(1, len(module_path) + 1):
            path = tuple(c for c, _ in module_path[:depth])
            key = module_path[depth - 1][1]
            if key is not None:
                instance_keys.setdefault(path, set()).add(key)
        resources.append({
            "address": address, "module_path": module_path, "mode": mode, "type": type_,
            "name": name, "index": index, "action": action,
            "values": encode_helpers(copy.deepcopy(rs.get("values") or {}), type_),
            "before": (encode_helpers(copy.deepcopy(rs["before"]), type_)
                       if "before" in rs else None),
            "unknown": [parse_path(p) for p in rs.get("unknown") or []],
            "sensitive": [parse_path(p) for p in rs.get("sensitive") or []],
            "config": rs.get("config") or {},
        })
    return resources, instance_keys


def generate(spec_path, spec):
    resources, instance_keys = prepare(spec_path, spec)
    tf_version = spec.get("terraform_version", DEFAULT_TF_VERSION)
    planned_root, prior_root = ModuleInstance(""), ModuleInstance("")
    changes = []

    for r in resources:
        address, values = r["address"], r["values"]
        for p in r["unknown"]:
            ensure_parents(values, p)
        after = copy.deepcopy(values)
        for p in r["unknown"]:
            remove_path(after, p)
        after_unknown = mirror(values)
        for p in r["unknown"]:
            set_flag(after_unknown, p, values, "unknown", address)
        after_sensitive = mirror(values)
        for p in r["sensitive"]:
            set_flag(after_sensitive, p, values, "sensitive", address)
        before = r["before"] if r["before"] is not None else after
        before_sensitive = mirror(before)
        for p in r["sensitive"]:
            set_flag(before_sensitive, p, before, "sensitive", address)

        head = {"address": address, "mode": r["mode"], "type": r["type"], "name": r["name"]}
        if r["index"] is not None:
            head["index"] = r["index"]
        head["provider_name"] = PROVIDER
        module_addr = module_instance_address(r["module_path"])
        schema = SCHEMA_VERSIONS.get(r["type"], 0)

        action = r["action"]
        in_planned = action in ("create", "update", "no-op", "replace", "read")
        in_prior = action in ("update", "no-op", "replace", "delete", "data")
        if in_planned:
            pv = dict(head, schema_version=schema, values=after, sensitive_values=after_sensitive)
            module_node(planned_root, r["module_path"]).resources.append(pv)
        if in_prior:
            if action == "data" and r["unknown"]:
                raise SpecError(f"{address}: a data source read during planning has no unknowns")
            st = dict(head, schema_version=schema, values=before,
                      sensitive_values=before_sensitive)
            module_node(prior_root, r["module_path"]).resources.append(st)
        if action == "data":
            continue
        rc = {"address": address}
        if module_addr:
            rc["module_address"] = module_addr
        rc.update({k: v for k, v in head.items() if k != "address"})
        ch = {"actions": ACTIONS[action]}
        if action == "create" or action == "read":
            ch.update(before=None, after=after, after_unknown=after_unknown,
                      before_sensitive=False, after_sensitive=after_sensitive)
        elif action == "delete":
            ch.update(before=before, after=None, after_unknown={},
                      before_sensitive=before_sensitive, after_sensitive=False)
        else:
            ch.update(before=before, after=after, after_unknown=after_unknown,
                      before_sensitive=before_sensitive, after_sensitive=after_sensitive)
        rc["change"] = ch
        if action == "read":
            rc["action_reason"] = "read_because_config_unknown"
        if action == "replace":
            rc["action_reason"] = "replace_because_cannot_update"
        changes.append(rc)

    changes.sort(key=lambda c: c["address"])
    variables = {k: {"value": v.get("value")} for k, v in (spec.get("variables") or {}).items()}
    outputs, output_changes = {}, {}
    for name, o in (spec.get("outputs") or {}).items():
        sens = bool(o.get("sensitive"))
        entry = {"sensitive": sens}
        if "value" in o:
            entry["value"] = o["value"]
        outputs[name] = entry
        output_changes[name] = {"actions": ["create"], "before": None, "after": o.get("value"),
                                "after_unknown": "value" not in o,
                                "before_sensitive": sens, "after_sensitive": sens}
    planned_values = {"root_module": planned_root.to_json(True)}
    if outputs:
        planned_values = {"outputs": outputs, **planned_values}
    plan = {"format_version": "1.2", "terraform_version": tf_version}
    if variables:
        plan["variables"] = variables
    plan["planned_values"] = planned_values
    if changes:
        plan["resource_changes"] = changes
    if output_changes:
        plan["output_changes"] = output_changes
    plan["prior_state"] = ({"format_version": "1.0", "terraform_version": tf_version,
                            "values": {"root_module": prior_root.to_json(True)}}
                           if prior_root.resources or prior_root.children else {})
    plan["configuration"] = build_configuration(spec, resources, instance_keys)
    plan["timestamp"] = TIMESTAMP
    plan["applyable"] = bool(changes)
    plan["complete"] = True
    plan["errored"] = False
    return plan


def render(plan):
    return json.dumps(plan, indent=1, ensure_ascii=False) + "\n"


def output_path(spec_path):
    if not spec_path.endswith(".spec.json"):
        raise SpecError(f"{spec_path}: spec files are named X.spec.json")
    return spec_path[: -len(".spec.json")] + ".json"


def find_all(root):
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for f in sorted(filenames):
            if f.endswith(".spec.json"):
                found.append(os.path.join(dirpath, f))
    return found


def main(argv):
    ap = argparse.ArgumentParser(description="Generate terraform show -json plans from fixture specs.")
    ap.add_argument("specs", nargs="*", help="X.spec.json files (output X.json next to each)")
    ap.add_argument("--all", action="store_true", help="every *.spec.json under testdata/")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 when a generated plan differs from the file on disk")
    ap.add_argument("--stdout", action="store_true", help="print the plan instead of writing it")
    args = ap.parse_args(argv)
    specs = list(args.specs)
    if args.all:
        specs += find_all(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    if not specs:
        ap.error("give spec files or --all")
    stale, failed = [], False
    for sp in specs:
        try:
            with open(sp, encoding="utf-8") as f:
                spec = json.load(f)
            text = render(generate(sp, spec))
            out = output_path(sp)
        except (OSError, json.JSONDecodeError, SpecError) as e:
            print(f"mkplan: {sp}: {e}", file=sys.stderr)
            failed = True
            continue
        if args.stdout:
            sys.stdout.write(text)
        elif args.check:
            try:
                with open(out, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(out)
            except OSError:
                stale.append(out)
        else:
            with open(out, "w", encoding="utf-8") as f:
                f.write(text)
    for s in stale:
        print(f"mkplan: {s} is stale; run: python3 testdata/tools/mkplan.py --all", file=sys.stderr)
    return 1 if failed or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

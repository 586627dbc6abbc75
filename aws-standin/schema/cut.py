#!/usr/bin/env python3
"""Cut the schema subset the stand-in serves from the shared full schema documents.

    python3 aws-standin/schema/cut.py [SHARED_DIR]

SHARED_DIR defaults to ../shared/terraform-aws beside the repository (the workspace's shared
folder; absent on users' clones, which is why the cut files are committed). Reads types.txt
(beside this script) and writes aws-<version>.json for 6.47.0 and 5.100.0: the `provider`
block schema, the listed resource and data source schemas (types a version lacks are left
out), the `_source` tag of the full document and a `_notice`. Descriptions are dropped (the
stand-in serves no documentation); everything else is kept as found. Output is stable:
sorted keys, one line per type, so a re-run on the same inputs changes nothing.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = ["6.47.0", "5.100.0"]
PROVIDER = "registry.terraform.io/hashicorp/aws"
NOTICE = (
    "Subset of the hashicorp/aws provider schema from github.com/lonegunmanb/terraform-aws-schema "
    "(MIT licence, see LICENSE-MIT and NOTICE.md beside this file), cut by cut.py from the types "
    "in types.txt; descriptions dropped. The provider block schema was rebuilt by the workspace "
    "from the npm package @cdktf/provider-aws 21.22.1 (MPL-2.0)."
)


def strip_attr(attr):
    if "nested_type" in attr:
        sys.exit("cut.py: nested attribute types are not supported by the stand-in")
    return {k: v for k, v in attr.items() if k not in ("description", "description_kind")}


def strip_block(block):
    """Drops the description texts of a block, its attributes and nested blocks (types,
    attribute names and everything else stay as found)."""
    out = {k: v for k, v in block.items() if k not in ("description", "description_kind", "attributes", "block_types")}
    if "attributes" in block:
        out["attributes"] = {name: strip_attr(a) for name, a in block["attributes"].items()}
    if "block_types" in block:
        out["block_types"] = {
            name: {**{k: v for k, v in nb.items() if k != "block"}, "block": strip_block(nb["block"])}
            for name, nb in block["block_types"].items()
        }
    return out


def strip(schema):
    """A schema ({"version", "block"}) without description texts."""
    return {**{k: v for k, v in schema.items() if k != "block"}, "block": strip_block(schema["block"])}


def read_types():
    kinds = {"resource": [], "data": []}
    with open(os.path.join(HERE, "types.txt")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            kind, name = line.split()
            kinds[kind].append(name)
    return kinds


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "terraform-aws")
    kinds = read_types()
    for version in VERSIONS:
        with open(os.path.join(shared, f"aws-schema-{version}.json")) as f:
            full = json.load(f)
        ps = full["provider_schemas"][PROVIDER]
        out = {
            "_notice": NOTICE,
            "_source": full["_source"],
            "format_version": full["format_version"],
            "provider": strip(ps["provider"]),
            "resource_schemas": {},
            "data_source_schemas": {},
        }
        for kind, key in (("resource", "resource_schemas"), ("data", "data_source_schemas")):
            for name in sorted(kinds[kind]):
                if name in ps[key]:
                    out[key][name] = strip(ps[key][name])
        path = os.path.join(HERE, f"aws-{version}.json")
        with open(path, "w") as f:
            f.write("{\n")
            top = list(out.items())
            for i, (k, v) in enumerate(top):
                sep = "," if i + 1 < len(top) else ""
                if isinstance(v, dict) and k.endswith("_schemas"):
                    f.write(f" {json.dumps(k)}: {{\n")
                    items = list(v.items())
                    for j, (name, schema) in enumerate(items):
                        s2 = "," if j + 1 < len(items) else ""
                        f.write(f"  {json.dumps(name)}: {json.dumps(schema, sort_keys=True, separators=(',', ':'))}{s2}\n")
                    f.write(f" }}{sep}\n")
                else:
                    f.write(f" {json.dumps(k)}: {json.dumps(v, sort_keys=True, separators=(',', ':'))}{sep}\n")
            f.write("}\n")
        print(f"{path}: {len(out['resource_schemas'])} resources, {len(out['data_source_schemas'])} data sources")


if __name__ == "__main__":
    main()

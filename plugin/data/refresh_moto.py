#!/usr/bin/env python3
"""Refresh ec2-eni-limits.csv and ec2-network-cards.csv from a moto DescribeInstanceTypes dump.

Usage (see README.md in this directory):
    pip download moto==5.2.6 --no-deps -d /tmp/moto
    unzip -o /tmp/moto/moto-5.2.6-py3-none-any.whl 'moto/ec2/resources/instance_types.json.gz' -d /tmp/moto
    python3 plugin/data/refresh_moto.py /tmp/moto/moto/ec2/resources/instance_types.json.gz "getmoto/moto 5.2.6 (PyPI):moto/ec2/resources/instance_types.json.gz"

Every value is copied from the dump as read. Rows of types the dump no longer has keep their
old values and their old source; rows from other sources (karpenter, vpc-cni) are kept as they
are unless the dump now has the type.
"""
import csv
import gzip
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for name in sorted(rows):
            w.writerow(rows[name])


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def main(dump_path, source):
    if "," in source:
        sys.exit("the source label must not contain a comma (the CSV files are not quoted)")
    dump = load(dump_path)
    limits_path = HERE / "ec2-eni-limits.csv"
    old = {r["instance_type"]: r for r in csv.DictReader(open(limits_path))}
    header = ["instance_type", "max_enis", "ipv4_per_eni", "ipv6_per_eni", "hypervisor_or_blank", "source"]
    rows = {}
    for name, t in dump.items():
        n = t["NetworkInfo"]
        ipv6 = n.get("Ipv6AddressesPerInterface")
        rows[name] = {
            "instance_type": name,
            "max_enis": n["MaximumNetworkInterfaces"],
            "ipv4_per_eni": n["Ipv4AddressesPerInterface"],
            "ipv6_per_eni": "" if ipv6 is None else ipv6,
            "hypervisor_or_blank": t.get("Hypervisor") or "",
            "source": source,
        }
    kept = [name for name in old if name not in rows]
    for name in kept:
        rows[name] = old[name]
    write_csv(limits_path, header, rows)

    cards_path = HERE / "ec2-network-cards.csv"
    old_cards = {r["instance_type"]: r for r in csv.DictReader(open(cards_path))}
    cheader = ["instance_type", "max_network_cards", "default_card_max_enis", "per_card_max_enis", "total_max_enis", "source"]
    cards = {}
    for name, t in dump.items():
        n = t["NetworkInfo"]
        if n.get("MaximumNetworkCards", 1) <= 1:
            continue
        per = [c["MaximumNetworkInterfaces"] for c in sorted(n["NetworkCards"], key=lambda c: c["NetworkCardIndex"])]
        default = n.get("DefaultNetworkCardIndex", 0)
        cards[name] = {
            "instance_type": name,
            "max_network_cards": n["MaximumNetworkCards"],
            "default_card_max_enis": per[default],
            "per_card_max_enis": "|".join(map(str, per)),
            "total_max_enis": n["MaximumNetworkInterfaces"],
            "source": source,
        }
    for name, r in old_cards.items():
        if name not in dump:
            cards[name] = r
    write_csv(cards_path, cheader, cards)
    print(f"{len(dump)} types from the dump, {len(kept)} kept from earlier sources, {len(cards)} multi-card types")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""Data for the contract check (Schemathesis against the fake), and its account afterwards.

    python3 contract.py prepare SPEC DIR   writes DIR/seed.json and DIR/schemathesis.toml
    python3 contract.py account SPEC DIR   reads DIR/report.har and DIR/report.json, prints the
                                           status counts per operation, and fails unless every
                                           operation met a success and an error and Schemathesis
                                           warned of nothing

Random IDs would only ever find nothing (404), so every operation is bound to the seeded
instance and organization, and each operation on one invite (or one member) gets IDs of
invites (members) the fake holds: its own pool, because resendInvite and delete use theirs up,
bound to `inviteId` (`userId`) half of the time, so the other half still finds nothing. The
examples' IDs are seeded too, and an administrator outside every pool keeps the organization
from losing its last one.
"""

import collections
import json
import re
import sys

import yaml

TOKEN = "contract-token"
# How many invites each operation may find, by how many its successes use up: up to one per
# generated case for resendInvite and delete.
POOL_SIZES = {"get": 20, "post": 400, "delete": 400, "patch": 20}


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                yield path, method, operation


def examples(spec):
    """The example of every path parameter component, by name."""
    params = spec.get("components", {}).get("parameters", {})
    return {p["name"]: p["example"] for p in params.values() if p.get("in") == "path" and "example" in p}


def prepare(spec, out):
    ids = examples(spec)
    instance, org, example_invite = ids["instanceId"], ids["orgId"], ids["inviteId"]
    invites = [{"id": example_invite, "email": "example@example.com", "role": "edit"}]
    # An administrator no operation is bound to, so that the organization always keeps one and
    # a member's change or removal is not refused for being the last administrator's.
    members = [
        {"userId": ids["userId"], "email": "member@example.com", "role": "view"},
        {"userId": "ad" * 12, "email": "admin@example.com", "role": "admin"},
    ]
    config = ["[dictionaries]"]
    bindings = []
    for tag, (path, method, operation) in enumerate(operations(spec), start=0xA1):
        op_id = operation["operationId"]
        parameters = [f'"path.instanceId" = "{instance}"', f'"path.orgId" = "{org}"']
        if "{inviteId}" in path:
            pool = [f"{tag:02x}{n:022x}" for n in range(POOL_SIZES.get(method, 20))]
            invites += [{"id": i, "email": f"c{tag:x}-{n}@example.com", "role": "view"} for n, i in enumerate(pool)]
            config.append(f"{op_id} = {{ values = {json.dumps(pool)} }}")
            parameters.append(f'"path.inviteId" = {{ dictionary = "{op_id}", probability = 0.5 }}')
        if "{userId}" in path:
            pool = [f"{tag:02x}{n:022x}" for n in range(POOL_SIZES.get(method, 20))]
            members += [{"userId": u, "email": f"m{tag:x}-{n}@example.com", "role": "view"} for n, u in enumerate(pool)]
            config.append(f"{op_id} = {{ values = {json.dumps(pool)} }}")
            parameters.append(f'"path.userId" = {{ dictionary = "{op_id}", probability = 0.5 }}')
        bindings += [
            "",
            "[[operations]]",
            f'include-operation-id = "{op_id}"',
            f"parameters = {{ {', '.join(parameters)} }}",
        ]
    seed = {
        "tokens": [{"token": TOKEN, "scopes": ["all.Instance"]}],
        "instances": [{"id": instance, "orgs": [{"id": org, "invites": invites, "members": members}]}],
    }
    with open(f"{out}/seed.json", "w") as f:
        json.dump(seed, f)
    with open(f"{out}/schemathesis.toml", "w") as f:
        f.write("\n".join(config + bindings) + "\n")


def account(spec, out):
    templates = []
    for path, method, _ in operations(spec):
        pattern = "^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)) + "$"
        templates.append((method.upper(), re.compile(pattern), f"{method.upper()} {path}"))
    counts = collections.defaultdict(collections.Counter)
    with open(f"{out}/report.har") as f:
        entries = json.load(f)["log"]["entries"]
    for entry in entries:
        method, url = entry["request"]["method"], entry["request"]["url"]
        path = re.sub(r"^[a-z]+://[^/]+", "", url).split("?", 1)[0]
        label = next((label for m, p, label in templates if m == method and p.match(path)), None)
        if label is not None:
            counts[label][entry["response"]["status"]] += 1
    problems = []
    print("status counts per operation:")
    for _, _, label in templates:
        seen = counts[label]
        shown = ", ".join(f"{status} ×{n}" for status, n in sorted(seen.items()))
        print(f"  {label}: {shown or 'no requests'}")
        if not any(200 <= s < 300 for s in seen):
            problems.append(f"{label} never succeeded")
        if not any(400 <= s < 500 for s in seen):
            problems.append(f"{label} never met an error answer")
    with open(f"{out}/report.json") as f:
        warnings = {k: v for k, v in json.load(f)["warnings"].items() if v}
    if warnings:
        problems.append(f"Schemathesis warned: {json.dumps(warnings)}")
    for problem in problems:
        print(f"contract check: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    verb, spec_path, out = sys.argv[1:4]
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    if verb == "prepare":
        prepare(spec, out)
    elif verb == "account":
        sys.exit(account(spec, out))
    else:
        sys.exit(f"unknown verb {verb!r}: prepare or account")

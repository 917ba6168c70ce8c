"""Checks captured API responses against the OpenAPI document's schemas.

usage: validate_responses.py OPENAPI.json CAPTURED.json
CAPTURED is a list of {"method", "path" (as templated in the document), "status", "body"}.
Exits 0 when the document is valid OpenAPI and every body matches its response schema; else prints each
failure and exits 1.
"""
import json
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

doc = json.load(open(sys.argv[1]))
validate(doc)
captured = json.load(open(sys.argv[2]))
failures = []
for c in captured:
    op = doc["paths"].get(c["path"], {}).get(c["method"].lower())
    if op is None:
        failures.append(f"{c['method']} {c['path']}: not in the document")
        continue
    response = op["responses"].get(str(c["status"]))
    if response is None:
        failures.append(f"{c['method']} {c['path']}: status {c['status']} not documented")
        continue
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        failures.append(f"{c['method']} {c['path']} {c['status']}: no JSON schema documented")
        continue
    wrapper = dict(schema)
    wrapper["components"] = doc["components"]
    errors = sorted(Draft202012Validator(wrapper).iter_errors(c["body"]), key=lambda e: list(e.path))
    for e in errors[:3]:
        failures.append(f"{c['method']} {c['path']} {c['status']}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
for f in failures:
    print(f)
print(f"{len(captured)} responses checked, {len(failures)} failures")
sys.exit(1 if failures else 0)

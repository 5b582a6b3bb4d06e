"""Write the HTTP bodies of the ARM x-ms-examples files beside them, unchanged but for their
indentation: `<name>.response.json` (responses.200.body) and, for the PATCH examples,
`<name>.request.json` (parameters.parameters). Run from this folder: python3 extract.py"""
import glob
import json

for path in sorted(glob.glob("arm-*.json")):
    if path.endswith((".response.json", ".request.json")):
        continue
    example = json.load(open(path))
    stem = path[: -len(".json")]
    body = example.get("responses", {}).get("200", {}).get("body")
    if body is not None:
        json.dump(body, open(f"{stem}.response.json", "w"), indent=2)
    request = example.get("parameters", {}).get("parameters")
    if request is not None:
        json.dump(request, open(f"{stem}.request.json", "w"), indent=2)

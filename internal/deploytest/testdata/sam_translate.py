"""Translates a SAM template to plain CloudFormation, as `sam deploy` has
CloudFormation do, with the SAM translator cfn-lint uses, and prints the
result as JSON. Conditions stay in the output: the Go test evaluates them
for each set of parameters.

usage: python3 sam_translate.py TEMPLATE
"""
import json
import os
import sys

from cfnlint.decode import decode
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator


def main(path):
    template, matches = decode(path)
    if matches:
        sys.exit("%s does not parse: %s" % (path, "; ".join(str(m) for m in matches)))
    # CodeUri is "." (sam build replaces it); the translator wants S3.
    for res in template.get("Resources", {}).values():
        props = res.get("Properties") or {}
        if res.get("Type") == "AWS::Serverless::Function":
            props["CodeUri"] = "s3://bucket/key"
    template.get("Globals", {}).get("Function", {}).pop("CodeUri", None)
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    out = Translator(managed_policy_map={}, sam_parser=Parser()).translate(
        sam_template=template, parameter_values={}, passthrough_metadata=True
    )
    json.dump(out, sys.stdout, indent=1, sort_keys=True, default=str)


if __name__ == "__main__":
    main(sys.argv[1])

"""Signs the requests described on stdin with botocore's S3 SigV4 signers
(what boto3 and the aws CLI use) and prints them as they go on the wire.
Repeated headers stay separate lines, as botocore sends and signs them."""
import json
import sys
from urllib.parse import urlsplit

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

spec = json.load(sys.stdin)
creds = Credentials(spec["accessKey"], spec["secretKey"])
out = []
for c in spec["cases"]:
    req = AWSRequest(method=c["method"], url=c["url"], data=(c.get("body") or "").encode())
    for k, v in c.get("headers") or []:
        req.headers[k] = v  # HTTPHeaders appends: a repeated name is kept twice
    service = c.get("service") or spec["service"]
    if c.get("presign"):
        S3SigV4QueryAuth(creds, service, spec["region"], expires=c.get("expires", 60)).add_auth(req)
    else:
        S3SigV4Auth(creds, service, spec["region"]).add_auth(req)
    u = urlsplit(req.url)
    target = u.path + ("?" + u.query if u.query else "")
    out.append({"name": c["name"], "method": c["method"], "target": target, "headers": list(req.headers.items())})
json.dump(out, sys.stdout)

"""An S3 Object Lambda function written as AWS's Python samples write
them: it fetches the original through inputS3Url with urllib, forwards the
headers S3 signed into that URL, keeps user metadata by its lower-case
"x-amz-meta-" prefix, upper-cases the text and answers GetObject through
boto3's write_get_object_response, HEAD and ListObjectsV2 with JSON.
The emulator runs it as a Runtime API `bootstrap` and behind a Lambda
Invoke endpoint (invoke_server.py)."""
import json
import os
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import boto3
from botocore.config import Config

META = "x-amz-meta-"
NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def client():
    return boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL_S3"],
                        config=Config(inject_host_prefix=False, s3={"addressing_style": "path"}))


def fetch(url, method, event):
    """Sends every header S3 signed into url (but host) from the user's request."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    signed = query.get("X-Amz-SignedHeaders", ["host"])[0].split(";")
    user = {k.lower(): v for k, v in event["userRequest"]["headers"].items()}
    headers = {name: user[name] for name in signed if name != "host" and name in user}
    return urllib.request.urlopen(urllib.request.Request(url, method=method, headers=headers))


def handle(event):
    if "getObjectContext" in event:
        ctx = event["getObjectContext"]
        with fetch(ctx["inputS3Url"], "GET", event) as resp:
            body = resp.read().upper()
            meta = {k[len(META):]: v for k, v in resp.headers.items() if k.startswith(META)}
        client().write_get_object_response(RequestRoute=ctx["outputRoute"], RequestToken=ctx["outputToken"],
                                           Body=body, Metadata=meta, ContentType="text/plain")
        return {"statusCode": 200}
    if "headObjectContext" in event:
        with fetch(event["headObjectContext"]["inputS3Url"], "HEAD", event) as resp:
            headers = {"Content-Length": int(resp.headers["Content-Length"]), "Content-Type": "text/plain"}
            headers.update({k: v for k, v in resp.headers.items() if k.startswith(META)})
        return {"statusCode": 200, "headers": headers}
    if "listObjectsV2Context" in event:
        with fetch(event["listObjectsV2Context"]["inputS3Url"], "GET", event) as resp:
            root = ET.fromstring(resp.read())
        contents = [{"key": c.find(NS + "Key").text, "size": int(c.find(NS + "Size").text)} for c in root.iter(NS + "Contents")]
        return {"statusCode": 200, "listBucketResult": {"name": root.find(NS + "Name").text, "keyCount": len(contents),
                                                        "maxKeys": 1000, "isTruncated": False, "contents": contents}}
    return {"statusCode": 501, "errorCode": "NotImplemented", "errorMessage": "not an event this function serves"}


def error(e):
    return json.dumps({"errorMessage": str(e), "errorType": type(e).__name__}).encode()

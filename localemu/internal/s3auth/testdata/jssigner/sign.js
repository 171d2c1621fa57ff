// Signs the requests described on stdin with the AWS SDK for JavaScript
// v3's SigV4 signer (@smithy/signature-v4, as @aws-sdk/client-s3 uses it)
// and prints them as they go on the wire. See ../README.md.
const { SignatureV4 } = require("@smithy/signature-v4");
const { Hash } = require("@smithy/hash-node");

// escape encodes as the SDK's query serialiser does.
const escape = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

async function main() {
  const spec = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const out = [];
  for (const c of spec.cases) {
    const signer = new SignatureV4({
      credentials: { accessKeyId: spec.accessKey, secretAccessKey: spec.secretKey },
      region: spec.region,
      service: c.service || spec.service,
      sha256: Hash.bind(null, "sha256"),
      uriEscapePath: false, // S3 signs the path as sent
      applyChecksum: true,
    });
    const u = new URL(c.url);
    const query = {};
    for (const [k, v] of u.searchParams) {
      query[k] = k in query ? [].concat(query[k], v) : v;
    }
    const headers = {};
    for (const [k, v] of c.headers || []) {
      headers[k] = k in headers ? headers[k] + "," + v : v;
    }
    const req = { method: c.method, protocol: u.protocol, hostname: u.hostname, port: u.port ? Number(u.port) : undefined,
      path: u.pathname, query, headers: { host: u.host, ...headers }, body: c.body || undefined };
    // As @aws-sdk/s3-request-presigner does: an unsigned payload, named in
    // the query (x-amz-* headers are hoisted there).
    const signed = c.presign
      ? await signer.presign({ ...req, headers: { ...req.headers, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } }, { expiresIn: c.expires || 60 })
      : await signer.sign(req);
    const qs = Object.entries(signed.query || {}).flatMap(([k, v]) => [].concat(v).map((x) => escape(k) + "=" + escape(x))).join("&");
    out.push({ name: c.name, method: c.method, target: signed.path + (qs ? "?" + qs : ""), headers: Object.entries(signed.headers) });
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch((e) => { console.error(e); process.exit(1); });

// A GTFS Realtime source for the browser tests: what `bmw` polls when BMW_REALTIME points here.
// A test PUTs a FeedMessage as JSON (gtfs-realtime.proto's fields in camelCase); every GET of
// /feed then answers it encoded as protobuf, with an ETag, and 304 to a matching If-None-Match.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const port = Number(process.argv[2]);
const proto = fileURLToPath(new URL('../gtfs/src/realtime/gtfs-realtime.proto', import.meta.url));
const FeedMessage = protobuf.loadSync(proto).lookupType('transit_realtime.FeedMessage');

let body = Buffer.alloc(0);
let version = 0;

createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  if (req.url !== '/feed') return res.writeHead(404).end();
  if (req.method === 'PUT') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const message = FeedMessage.fromObject(JSON.parse(Buffer.concat(chunks).toString()));
        const problem = FeedMessage.verify(message);
        if (problem) throw new Error(problem);
        body = Buffer.from(FeedMessage.encode(message).finish());
        version += 1;
        res.writeHead(204).end();
      } catch (error) {
        res.writeHead(400).end(String(error));
      }
    });
    return;
  }
  const etag = `"v${version}"`;
  if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
  res.writeHead(200, { etag, 'content-type': 'application/x-protobuf' }).end(body);
}).listen(port, '127.0.0.1');

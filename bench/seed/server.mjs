// `node server.mjs <addr> <jwt key file>`: the seed peer of `cargo xtask bench`. The original
// BMW's API as its seed describes it: Express 4 with cors({origin, credentials: true}),
// cookie-parser, jsonwebtoken and `trust proxy`, the JWT in a cookie, passwords hashed with
// bcrypt at cost 10. It serves /healthz, POST /api/auth/signin and GET /api/auth/me.
//
// Its one user lives in memory (the benchmark measures the web stack, not a database), and
// its tokens carry the same HS256 claims BMW's do (iss, aud, exp), signed with the key file
// given, so both sides do the same check.
import bcrypt from 'bcryptjs';
import cookieParser from 'cookie-parser';
import cors from 'cors';
import express from 'express';
import jwt from 'jsonwebtoken';
import { createSecretKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [addr, keyFile] = process.argv.slice(2);
if (!addr || !keyFile) {
  console.error('usage: node server.mjs <host:port> <jwt key file>');
  process.exit(2);
}
const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), Number(addr.slice(addr.lastIndexOf(':') + 1))];
// A KeyObject, made once: given a string, jsonwebtoken 9 first tries to read it as a PEM public
// key on every verify, which costs about 0.7 ms with OpenSSL 3 and would make this peer slower
// than the stack it stands for needs to be.
const secret = createSecretKey(Buffer.from(readFileSync(keyFile, 'utf8').trimEnd()));
const origin = process.env.SEED_ORIGIN ?? 'http://127.0.0.1:3000';
const claims = { algorithm: 'HS256', issuer: 'bmw', audience: 'bmw' };

// The benchmark's user: `bench`, with the password xtask signs in with.
const users = new Map([
  ['bench', { id: '1', username: 'bench', name: 'Bench', email: 'bench@example.com',
              hash: bcrypt.hashSync('quiet-lantern-meadow-7', 10) }],
]);
const byId = new Map([...users.values()].map((u) => [u.id, u]));
const shown = ({ id, username, name, email }) => ({ id, username, name, email });

const app = express();
app.set('trust proxy', true);
app.use(cors({ origin, credentials: true }));
app.use(express.json());
app.use(cookieParser());

app.get('/healthz', (_req, res) => res.send('ok'));

app.post('/api/auth/signin', async (req, res) => {
  const { username, password } = req.body ?? {};
  const user = users.get(String(username ?? ''));
  if (!user || !(await bcrypt.compare(String(password ?? ''), user.hash))) {
    return res.status(401).json({ error: 'unauthorized', message: 'Wrong username or password.' });
  }
  const token = jwt.sign({ sub: user.id }, secret, { ...claims, expiresIn: '15m' });
  res.cookie('bmw_access', token, { httpOnly: true, secure: req.secure, sameSite: 'lax', path: '/' });
  res.json({ user: shown(user) });
});

app.get('/api/auth/me', (req, res) => {
  try {
    const { sub } = jwt.verify(req.cookies.bmw_access ?? '', secret, { ...claims, algorithms: ['HS256'] });
    const user = byId.get(sub);
    if (user) return res.json({ user: shown(user) });
  } catch {
    // An absent, forged or expired token is the same 401 below.
  }
  res.status(401).json({ error: 'unauthorized', message: 'Sign in first.' });
});

app.listen(port, host);

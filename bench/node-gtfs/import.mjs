// Imports a whole GTFS feed (zip or directory) into a new SQLite file with node-gtfs, the
// peer our own importer is timed against (`cargo xtask bench gtfs`).
//
// usage: node import.mjs <feed.zip> <out.db>
// Prints the import's elapsed seconds, alone on the last line of stdout.
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { closeDb, importGtfs, openDb } from 'gtfs';

const [path, sqlitePath] = process.argv.slice(2);
if (!path || !sqlitePath) {
  console.error('usage: node import.mjs <feed.zip> <out.db>');
  process.exit(2);
}
// Always a fresh database: importing into an old one would measure something else.
for (const suffix of ['', '-wal', '-shm', '-journal']) {
  rmSync(sqlitePath + suffix, { force: true });
}
const config = { sqlitePath, agencies: [{ path }], verbose: false };
const start = performance.now();
await importGtfs(config);
const seconds = (performance.now() - start) / 1000;
closeDb(openDb(config));
console.log(seconds.toFixed(2));

// Reads a Mining codebook (Parquet format v1) with DuckDB and checks what any reader must see:
// the row count, every embedding's length, and the mining.* key-value metadata.
//   node duckdb-read-codebook.mjs TOOLS_DIR CODEBOOK.parquet ROWS HIDDEN_SIZE
// TOOLS_DIR is where infra/install-test-deps.sh installed @duckdb/node-api (infra/.tools).
// Prints one JSON line with what DuckDB saw; exits 0 when it matches, 1 when not, 2 on bad usage.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [tools, file, rowsText, hiddenText] = process.argv.slice(2);
if (!tools || !file || !rowsText || !hiddenText) {
  console.error('usage: node duckdb-read-codebook.mjs TOOLS_DIR CODEBOOK.parquet ROWS HIDDEN_SIZE');
  process.exit(2);
}

const entry = path.join(tools, 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js');
const { DuckDBInstance } = await import(pathToFileURL(entry).href);
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const literal = `'${file.replaceAll("'", "''")}'`;

const shape = await connection.runAndReadAll(
  `SELECT count(*)::INTEGER AS n, min(len(embedding))::INTEGER AS shortest, max(len(embedding))::INTEGER AS longest,
          count(DISTINCT prototype_id)::INTEGER AS ids
   FROM read_parquet(${literal})`);
const [n, shortest, longest, ids] = shape.getRows()[0];

const pairs = await connection.runAndReadAll(
  `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${literal}) WHERE decode(key) LIKE 'mining.%'`);
const metadata = Object.fromEntries(pairs.getRows());

const seen = { rows: n, shortest_embedding: shortest, longest_embedding: longest, distinct_ids: ids, metadata };
console.log(JSON.stringify(seen));

const rows = Number(rowsText);
const hidden = Number(hiddenText);
const problems = [];
if (n !== rows) problems.push(`rows: ${n}, expected ${rows}`);
if (shortest !== hidden || longest !== hidden) problems.push(`embedding lengths ${shortest}..${longest}, expected ${hidden}`);
if (ids !== rows) problems.push(`${ids} distinct prototype ids for ${rows} rows`);
if (metadata['mining.format_version'] !== '1') problems.push(`mining.format_version is ${metadata['mining.format_version']}`);
if (metadata['mining.hidden_size'] !== String(hidden)) problems.push(`mining.hidden_size is ${metadata['mining.hidden_size']}`);
for (const problem of problems) console.error(`duckdb-read-codebook: ${problem}`);
process.exit(problems.length === 0 ? 0 : 1);

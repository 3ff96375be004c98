// A second implementation of docs/algorithms/draw.md (anjian-draw-v1), written from that page
// alone: BigInt for every integer of the algorithm, node's crypto for SHA-256. It exists to show
// that the specification is complete; tests/draws/test_algorithm.py compares it with the Python
// implementation on the published vectors and on random inputs.
//
//   node draw.mjs vectors docs/algorithms/draw-vectors.json   check every vector; exit 1 on a mismatch
//   node draw.mjs run < cases.json                           {"cases": [...]} → {"results": [...]}
//
// A case is {"kind": "draw" | "quotas" | "assign", ...inputs as in the vector file}; a draw case
// gives either "quotas" or "total" (then the quotas are quotas_from_weights). A refused input
// gives {"error": "<reason>"}.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const VERSION = "anjian-draw-v1";
const TWO64 = 1n << 64n;
const MASK64 = TWO64 - 1n;
const INT64_MAX = (1n << 63n) - 1n;
const MAX_WEIGHT = (1n << 32n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;
const RULES = ["specialty", "certificate", "own_county", "conflict", "last_inspector", "workload"];

class Refused extends Error {}

function refuse(reason) {
  throw new Refused(reason);
}

// --- section 1: conventions --------------------------------------------------------------------

const utf8 = (s) => Buffer.from(s, "utf8");
const sha256 = (bytes) => createHash("sha256").update(bytes).digest();
// String order: the UTF-8 bytes, unsigned, a proper prefix first.
const compareStrings = (a, b) => Buffer.compare(utf8(a), utf8(b));
// ⌊a / b⌋ for b > 0 (BigInt division truncates towards zero).
function floorDiv(a, b) {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}
function gcd(a, b) {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
function fraction(num, den) {
  if (num === 0n) return "0/1";
  const g = gcd(num, den);
  return `${num / g}/${den / g}`;
}

// --- validation (section 11) -------------------------------------------------------------------

const isId = (s) => typeof s === "string" && /^[\x21-\x7e]{1,64}$/.test(s);
// 1 to 200 characters (code points), none in U+0000–U+001F or U+007F.
const isKey = (s) =>
  typeof s === "string" && [...s].length >= 1 && [...s].length <= 200 && !/[\x00-\x1f\x7f]/.test(s);
const isInteger = (x) => typeof x === "number" && Number.isInteger(x);

// --- section 3: secret and commitment ----------------------------------------------------------

function secretBytes(secret) {
  if (typeof secret !== "string" || !/^[0-9a-fA-F]{64}$/.test(secret)) refuse("secret");
  return Buffer.from(secret, "hex");
}

// --- section 5: seed and sub-streams -----------------------------------------------------------

function seedOf(secret, directoryHash) {
  return sha256(Buffer.concat([utf8(VERSION), secretBytes(secret), directoryHash]));
}

function keyOf(seed, label) {
  return sha256(Buffer.concat([seed, utf8(label)])).readBigUInt64BE(0);
}

// --- section 6: the generator ------------------------------------------------------------------

function mix64(z) {
  z &= MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

function value(key, i) {
  return mix64((key + (BigInt(i) + 1n) * GOLDEN) & MASK64);
}

// state.counter is advanced; m is a BigInt ≥ 1.
function uniformBelow(key, state, m) {
  const bound = TWO64 - (TWO64 % m);
  for (;;) {
    const v = value(key, state.counter);
    state.counter += 1n;
    if (v < bound) return v % m;
  }
}

// --- section 4: the directory ------------------------------------------------------------------

function canonicalDirectory(rows) {
  const out = rows.map((r) => {
    if (!isId(r.uscc)) refuse("uscc");
    if (!isKey(r.stratum)) refuse("stratum");
    if (!isInteger(r.weight)) refuse("weight");
    const weight = BigInt(r.weight);
    if (weight < 1n || weight > MAX_WEIGHT) refuse("weight");
    if (typeof r.forced !== "boolean") refuse("forced");
    return { uscc: r.uscc, stratum: r.stratum, weight, forced: r.forced };
  });
  out.sort((a, b) => compareStrings(a.uscc, b.uscc));
  for (let g = 0; g < out.length; g++) {
    if (g > 0 && out[g].uscc === out[g - 1].uscc) refuse("duplicate uscc");
    out[g].g = g;
  }
  return out;
}

function serialise(rows) {
  let text = `${VERSION} directory\n`;
  for (const r of rows) text += `${r.uscc}\t${r.stratum}\t${r.weight}\t${r.forced ? 1 : 0}\n`;
  return text;
}

function strataOf(rows) {
  const byKey = new Map();
  for (const r of rows) {
    if (!byKey.has(r.stratum)) byKey.set(r.stratum, []);
    byKey.get(r.stratum).push(r); // canonical order within the stratum
  }
  const keys = [...byKey.keys()].sort(compareStrings);
  return keys.map((key) => {
    const members = byKey.get(key);
    return { key, rows: members, size: members.length, weight: members.reduce((s, r) => s + r.weight, 0n) };
  });
}

// --- section 7: quotas -------------------------------------------------------------------------

function quotasFromWeights(strata, total) {
  const n = strata.reduce((s, h) => s + h.size, 0);
  if (!isInteger(total) || total < 0 || total > n) refuse("total");
  let open = [...strata].sort((a, b) => compareStrings(a.key, b.key));
  let remaining = BigInt(total);
  const quotas = {};
  for (;;) {
    const wOpen = open.reduce((s, h) => s + h.weight, 0n);
    const q = new Map();
    const r = new Map();
    let given = 0n;
    for (const h of open) {
      q.set(h.key, (remaining * h.weight) / wOpen);
      r.set(h.key, (remaining * h.weight) % wOpen);
      given += q.get(h.key);
    }
    const extra = Number(remaining - given);
    const byRemainder = [...open].sort((a, b) => {
      const ra = r.get(a.key);
      const rb = r.get(b.key);
      if (ra !== rb) return ra > rb ? -1 : 1;
      return compareStrings(a.key, b.key);
    });
    for (const h of byRemainder.slice(0, extra)) q.set(h.key, q.get(h.key) + 1n);
    const over = open.filter((h) => q.get(h.key) > BigInt(h.size));
    if (over.length === 0) {
      for (const h of open) quotas[h.key] = Number(q.get(h.key));
      return quotas;
    }
    for (const h of over) {
      quotas[h.key] = h.size;
      remaining -= BigInt(h.size);
    }
    open = open.filter((h) => !over.includes(h));
  }
}

// --- section 8: sampling -----------------------------------------------------------------------

function draw(input) {
  const rows = canonicalDirectory(input.directory);
  const serialisation = serialise(rows);
  const directoryHash = sha256(utf8(serialisation));
  const seed = seedOf(input.secret, directoryHash);
  const strata = strataOf(rows);
  const quotas = input.quotas !== undefined ? input.quotas : quotasFromWeights(strata, input.total);
  const known = new Set(strata.map((h) => h.key));
  for (const key of Object.keys(quotas)) if (!known.has(key)) refuse("unknown stratum");
  const keys = { order: keyOf(seed, "order"), assign: keyOf(seed, "assign") };
  const pi = new Map(rows.map((r) => [r.uscc, [0n, 1n]]));
  const selected = new Set();
  const stratumResults = [];
  for (const h of strata) {
    const quota = quotas[h.key] === undefined ? 0 : quotas[h.key];
    if (!isInteger(quota) || quota < 0 || quota > h.size) refuse("quota");
    const nh = BigInt(quota);
    if ((nh > 1n ? nh : 1n) * h.weight > INT64_MAX) refuse("int64 bound");
    const startLabel = `start/${h.key}`;
    keys[startLabel] = keyOf(seed, startLabel);
    // 8.1 forced
    const forced = h.rows.filter((r) => r.forced);
    for (const r of forced) {
      selected.add(r.uscc);
      pi.set(r.uscc, [1n, 1n]);
    }
    const f = BigInt(forced.length);
    const result = {
      stratum: h.key,
      size: h.size,
      quota,
      total_weight: h.weight.toString(),
      forced: forced.length,
      overflow: 0,
      certainties: 0,
      systematic_quota: 0,
      systematic_weight: "0",
      start: null,
      selected: 0,
    };
    stratumResults.push(result);
    // 8.2 overflow
    if (f >= nh) {
      result.overflow = Number(f - nh);
      result.selected = forced.length;
      continue;
    }
    let n = nh - f;
    let a = h.rows.filter((r) => !r.forced);
    // 8.3 certainties
    let certainties = 0;
    for (;;) {
      const w = a.reduce((s, r) => s + r.weight, 0n);
      const c = a.filter((r) => n * r.weight >= w);
      if (n === 0n || c.length === 0) break;
      for (const r of c) {
        selected.add(r.uscc);
        pi.set(r.uscc, [1n, 1n]);
      }
      a = a.filter((r) => !c.includes(r));
      n -= BigInt(c.length);
      certainties += c.length;
    }
    result.certainties = certainties;
    if (n === 0n) {
      result.selected = forced.length + certainties;
      continue;
    }
    const w = a.reduce((s, r) => s + r.weight, 0n);
    // 8.4 random order by (value(key("order"), g), g)
    const ordered = a
      .map((r) => ({ r, v: value(keys.order, r.g) }))
      .sort((x, y) => (x.v !== y.v ? (x.v < y.v ? -1 : 1) : x.r.g - y.r.g))
      .map((x) => x.r);
    // 8.5 systematic selection
    const u = uniformBelow(keys[startLabel], { counter: 0n }, w);
    let previous = 0n;
    let hits = 0;
    for (const r of ordered) {
      const current = previous + n * r.weight;
      if (floorDiv(current - u - 1n, w) > floorDiv(previous - u - 1n, w)) {
        selected.add(r.uscc);
        hits += 1;
      }
      pi.set(r.uscc, [n * r.weight, w]);
      previous = current;
    }
    result.systematic_quota = Number(n);
    result.systematic_weight = w.toString();
    result.start = u.toString();
    result.selected = forced.length + certainties + hits;
  }
  const probabilities = {};
  for (const r of rows) probabilities[r.uscc] = fraction(...pi.get(r.uscc));
  const keyTexts = {};
  for (const [label, key] of Object.entries(keys)) keyTexts[label] = key.toString();
  const orderValues = [];
  for (let g = 0; g < Math.min(8, rows.length); g++) orderValues.push(value(keys.order, g).toString());
  return {
    commitment: sha256(secretBytes(input.secret)).toString("hex"),
    directory_serialisation: serialisation,
    directory_hash: directoryHash.toString("hex"),
    seed: seed.toString("hex"),
    keys: keyTexts,
    order_values: orderValues,
    quotas,
    strata: stratumResults,
    selection: rows.filter((r) => selected.has(r.uscc)).map((r) => r.uscc),
    probabilities,
    overflow: stratumResults.reduce((s, x) => s + x.overflow, 0),
  };
}

// --- section 9: inspector assignment -----------------------------------------------------------

const isDate = (d) => d === null || (typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d));

function assign(input) {
  const rules = input.rules;
  const k = rules.per_entity;
  if (!isInteger(k) || k < 2) refuse("per_entity");
  const most = rules.max_per_inspector;
  if (most !== null && (!isInteger(most) || most < 1)) refuse("max_per_inspector");
  if (typeof rules.avoid_own_county !== "boolean") refuse("avoid_own_county");
  if (!isDate(input.on) || input.on === null) refuse("on");
  const pool = input.inspectors.map((i) => {
    if (!isId(i.id) || !isKey(i.county)) refuse("inspector");
    for (const s of i.specialties) if (!isKey(s) || s.includes(",")) refuse("specialty");
    if (!isDate(i.valid_from) || !isDate(i.valid_until)) refuse("date");
    if (!isInteger(i.load) || i.load < 0) refuse("load");
    return { ...i, specialties: new Set(i.specialties) };
  });
  pool.sort((a, b) => compareStrings(a.id, b.id));
  for (let p = 1; p < pool.length; p++) if (pool[p].id === pool[p - 1].id) refuse("duplicate id");
  const entities = input.entities.map((e) => {
    if (!isId(e.uscc) || !isKey(e.county)) refuse("entity");
    return { ...e, conflicts: new Set(e.conflicts), last: new Set(e.last_inspectors) };
  });
  entities.sort((a, b) => compareStrings(a.uscc, b.uscc));
  for (let p = 1; p < entities.length; p++) if (entities[p].uscc === entities[p - 1].uscc) refuse("duplicate uscc");

  // 9.2 pool hash
  let text = `${VERSION} inspectors\n`;
  text += `on\t${input.on}\n`;
  text += `per_entity\t${k}\n`;
  text += `avoid_own_county\t${rules.avoid_own_county ? 1 : 0}\n`;
  text += `max_per_inspector\t${most === null ? "none" : most}\n`;
  for (const i of pool) {
    const specialties = [...i.specialties].sort(compareStrings).join(",");
    text += `${i.id}\t${i.county}\t${specialties}\t${i.valid_from ?? ""}\t${i.valid_until ?? ""}\t${i.load}\n`;
  }
  const poolHash = sha256(utf8(text)).toString("hex");

  // 9.3–9.6. ISO dates compare correctly as strings.
  const valid = (i) =>
    (i.valid_from === null || i.valid_from <= input.on) && (i.valid_until === null || input.on <= i.valid_until);
  const fits = (i, e) => e.specialties.every((s) => i.specialties.has(s));
  const load = new Map(pool.map((i) => [i.id, i.load]));
  const eligible = (i, e, chosen) =>
    (!rules.avoid_own_county || i.county !== e.county) &&
    !e.conflicts.has(i.id) &&
    !e.last.has(i.id) &&
    (most === null || load.get(i.id) < most) &&
    !chosen.includes(i);
  const key = keyOf(Buffer.from(input.seed, "hex"), "assign");
  const state = { counter: 0n };
  const teams = {};
  const refusals = [];
  for (const e of entities) {
    const p = pool.filter((i) => fits(i, e) && valid(i));
    const eligibleNow = p.filter((i) => eligible(i, e, []));
    if (eligibleNow.length < k) {
      const excluded = Object.fromEntries(RULES.map((r) => [r, 0]));
      let count = 0;
      for (const i of pool) {
        let rule = null;
        if (!fits(i, e)) rule = "specialty";
        else if (!valid(i)) rule = "certificate";
        else if (rules.avoid_own_county && i.county === e.county) rule = "own_county";
        else if (e.conflicts.has(i.id)) rule = "conflict";
        else if (e.last.has(i.id)) rule = "last_inspector";
        else if (most !== null && load.get(i.id) >= most) rule = "workload";
        if (rule === null) count += 1;
        else excluded[rule] += 1;
      }
      refusals.push({ uscc: e.uscc, needed: k, eligible: count, excluded });
      continue;
    }
    const chosen = [];
    const m = BigInt(p.length);
    while (chosen.length < k) {
      const candidate = p[Number(uniformBelow(key, state, m))];
      if (eligible(candidate, e, chosen)) chosen.push(candidate);
    }
    teams[e.uscc] = chosen.map((i) => i.id);
    for (const i of chosen) load.set(i.id, load.get(i.id) + 1);
  }
  return {
    pool_hash: poolHash,
    teams,
    refusals,
    loads: Object.fromEntries(pool.map((i) => [i.id, load.get(i.id)])),
    counter_end: Number(state.counter),
  };
}

// --- the command line --------------------------------------------------------------------------

function runCase(c) {
  try {
    if (c.kind === "draw") return draw(c);
    if (c.kind === "quotas") {
      const rows = canonicalDirectory(c.directory);
      return { quotas: quotasFromWeights(strataOf(rows), c.total) };
    }
    if (c.kind === "assign") return assign(c);
    return { error: `unknown kind ${c.kind}` };
  } catch (e) {
    if (e instanceof Refused) return { error: e.message };
    throw e;
  }
}

// Deep equality of JSON values, with object keys in any order.
function same(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
}

function checkVectors(path) {
  const v = JSON.parse(readFileSync(path, "utf8"));
  const failures = [];
  let passed = 0;
  const check = (name, got, want) => {
    if (same(got, want)) passed += 1;
    else failures.push({ name, got, want });
  };
  if (v.version !== VERSION) failures.push({ name: "version", got: v.version, want: VERSION });
  for (const t of v.mix64) check(`mix64 ${t.in}`, mix64(BigInt(t.in)).toString(), t.out);
  for (const t of v.streams) {
    const got = t.values.map((_, i) => value(BigInt(t.key), i).toString());
    check(`stream ${t.key}`, got, t.values);
  }
  for (const t of v.uniform_below) {
    const state = { counter: 0n };
    const got = t.results.map(() => uniformBelow(BigInt(t.key), state, BigInt(t.m)).toString());
    check(`uniform_below ${t.key} ${t.m}`, [got, Number(state.counter)], [t.results, t.counter_end]);
  }
  for (const t of v.quotas) {
    const strata = t.strata.map((h) => ({ key: h.stratum, size: h.size, weight: BigInt(h.weight) }));
    check(`quotas ${t.name}`, quotasFromWeights(strata, t.total), t.quotas);
  }
  for (const t of v.draws) {
    const got = draw(t);
    for (const field of Object.keys(t.expected)) check(`draw ${t.name} ${field}`, got[field], t.expected[field]);
  }
  for (const t of v.assignments) {
    const got = assign(t);
    for (const field of Object.keys(t.expected)) check(`assign ${t.name} ${field}`, got[field], t.expected[field]);
  }
  for (const t of v.errors) check(`error ${t.name}`, "error" in runCase(t), true);
  process.stdout.write(JSON.stringify({ passed, failures }, null, 1) + "\n");
  return failures.length === 0;
}

const [mode, path] = process.argv.slice(2);
if (mode === "vectors") {
  process.exitCode = checkVectors(path) ? 0 : 1;
} else if (mode === "run") {
  const input = JSON.parse(readFileSync(0, "utf8"));
  process.stdout.write(JSON.stringify({ results: input.cases.map(runCase) }) + "\n");
} else {
  process.stderr.write("usage: node draw.mjs vectors <file> | node draw.mjs run < cases.json\n");
  process.exitCode = 2;
}

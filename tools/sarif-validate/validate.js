// Validates a SARIF file against the official SARIF 2.1.0 schema (draft-04, from Microsoft's
// sarif-js-sdk). Exit 0: valid; 1: invalid (the schema errors are printed); 2: could not validate.
'use strict';
const fs = require('fs');
const Ajv = require('ajv');

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate.js <file.sarif>');
  process.exit(2);
}
let log;
try {
  log = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`cannot read ${file} as JSON: ${error.message}`);
  process.exit(1);
}
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const ajv = new Ajv({ schemaId: 'id', allErrors: true, jsonPointers: true });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
const valid = ajv.validate(schema, log);
if (!valid) {
  for (const error of ajv.errors) console.error(`${error.dataPath || '/'}: ${error.message} ${JSON.stringify(error.params)}`);
  process.exit(1);
}
console.log(`${file}: valid SARIF 2.1.0`);

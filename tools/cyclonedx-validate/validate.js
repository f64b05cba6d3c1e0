// Usage: node validate.js <bom.cdx.json>
// Exit 0: the BOM is valid CycloneDX 1.6 JSON (strict schema). Exit 1: it is not (errors on stderr).
// Exit 2: usage or environment error (e.g. the optional validator peers are not installed).
'use strict';
const fs = require('fs');
const CDX = require('@cyclonedx/cyclonedx-library');

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node validate.js <bom.cdx.json>');
    return 2;
  }
  const text = fs.readFileSync(file, 'utf8');
  const bom = JSON.parse(text);
  if (bom.specVersion !== '1.6') {
    console.error(`${file}: specVersion is ${JSON.stringify(bom.specVersion)}, expected "1.6"`);
    return 1;
  }
  const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
  let errors;
  try {
    errors = await validator.validate(text);
  } catch (e) {
    // MissingOptionalDependencyError: ajv and its format plugins are needed to validate at all.
    console.error(`cannot validate: ${e.message}`);
    return 2;
  }
  if (errors === null) {
    console.log(`${file}: valid CycloneDX 1.6 (strict JSON schema)`);
    return 0;
  }
  console.error(`${file}: NOT valid CycloneDX 1.6:\n${JSON.stringify(errors, null, 2)}`);
  return 1;
}

main().then((code) => process.exit(code), (e) => { console.error(e.stack || String(e)); process.exit(2); });

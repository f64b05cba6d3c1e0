// The logic of the compress-gate action (action.yml runs it with node 20; no dependencies).
// Builds the project (or, with INPUT_RESULT, reads a result.json produced elsewhere), then:
// writes the job summary ($GITHUB_STEP_SUMMARY), annotates each finding at its line
// (::error file=...,line=...,col=...::), sets outputs ($GITHUB_OUTPUT) and lists the files to upload.
// Exits 0 when the gate passed, 1 when it failed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const env = process.env;
const input = (name, fallback = '') => (env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim() || fallback;
const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());

// An MSBuild error or warning from compress: "file(line,col): error CMP3004: message [project]",
// or without a location "origin : error CMP9004: message [project]".
const findingLine = /^\s*(?<origin>.+?)(?:\((?<line>\d+)(?:,(?<col>\d+))?\))?\s*: (?<kind>error|warning) (?<code>CMP\d{4}): (?<message>.*?)(?<project> \[[^\]]*\])?$/;

export function parseFinding(line) {
  const m = findingLine.exec(line);
  if (!m) return null;
  const { origin, kind, code, message } = m.groups;
  return {
    severity: kind,
    code,
    message,
    file: origin === 'compress' ? null : origin.trim(),
    line: m.groups.line ? Number(m.groups.line) : null,
    column: m.groups.col ? Number(m.groups.col) : null,
  };
}

/**
 * The build log as this step prints it: a compress finding loses MSBuild's trailing " [project]".
 * setup-dotnet's csc and msbuild problem matchers only match lines that end so, and this script
 * annotates those findings itself, with the column the matchers drop; without this each would appear twice.
 */
export function echoLine(line) {
  const m = findingLine.exec(line);
  return m && m.groups.project ? line.slice(0, line.length - m.groups.project.length) : line;
}

/**
 * The findings in a findings.sarif that compress wrote (SARIF 2.1.0), in the shape parseFinding gives;
 * null when the file is missing or unreadable.
 */
export function readSarif(file) {
  if (!fs.existsSync(file)) return null;
  try {
    const log = JSON.parse(fs.readFileSync(file, 'utf8'));
    return log.runs.flatMap((run) =>
      (run.results ?? []).map((r) => {
        const physical = r.locations?.[0]?.physicalLocation;
        return {
          severity: r.level === 'error' ? 'error' : 'warning',
          code: r.ruleId,
          message: r.message?.text ?? '',
          file: physical?.artifactLocation?.uri ? fileURLToPath(physical.artifactLocation.uri) : null,
          line: physical?.region?.startLine ?? null,
          column: physical?.region?.startColumn ?? null,
        };
      }),
    );
  } catch {
    return null;
  }
}

// Workflow command escaping (the runner's rules): data escapes % CR LF; properties also : and ,.
const escapeData = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** Annotations want a path relative to the repository root. */
function workspacePath(file) {
  if (!file) return null;
  const absolute = path.resolve(workspace, file);
  const relative = path.relative(workspace, absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative.split(path.sep).join('/');
}

export function annotation(finding) {
  const properties = [];
  const file = workspacePath(finding.file);
  if (file) properties.push(`file=${escapeProperty(file)}`);
  if (finding.line) properties.push(`line=${finding.line}`);
  if (finding.column) properties.push(`col=${finding.column}`);
  properties.push(`title=${escapeProperty(finding.code)}`);
  const kind = finding.severity === 'error' ? 'error' : 'warning';
  return `::${kind} ${properties.join(',')}::${escapeData(`${finding.code}: ${finding.message}`)}`;
}

const pct = (v) => (v == null ? '-' : `${(v * 100).toFixed(2)}%`);
const num = (v, digits = 3) => (v == null ? '-' : Number(v.toFixed(digits)).toString());
const signed = (v, digits = 2) => (v == null ? '-' : `${v >= 0 ? '+' : '-'}${Math.abs(v).toFixed(digits)}`);
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function summaryMarkdown(result, context) {
  const md = [];
  md.push(`## Compression gate: ${result.passed ? 'passed' : 'FAILED'}`, '');
  md.push(`\`${context.label}\`${result.elapsedSeconds != null ? `, ${result.elapsedSeconds} s` : ''}; report.md, result.json and the model's files are in the job's artifacts.`, '');
  if (result.summary?.rows?.length) {
    md.push(`| metric | ${result.summary.columns.join(' | ')} | |`);
    md.push(`| --- | ${result.summary.columns.map(() => '---:').join(' | ')} | --- |`);
    for (const row of result.summary.rows) md.push(`| ${row.label} | ${row.values.map(cell).join(' | ')} | ${cell(row.note)} |`);
    md.push('');
  }
  const targets = result.summary?.targets;
  if (targets?.rows?.length) {
    md.push('### On the benchmark targets', '');
    md.push(`| on target | ${targets.columns.map(cell).join(' | ')} |`);
    md.push(`| --- | ${targets.columns.map(() => '---:').join(' | ')} |`);
    for (const row of targets.rows) md.push(`| ${row.label} | ${row.values.map(cell).join(' | ')} |`);
    md.push('');
    for (const note of targets.notes ?? []) md.push(`- ${cell(note)}.`);
    md.push('');
  }
  const baseline = result.baseline;
  if (baseline) {
    md.push('### Against the baseline', '');
    if (baseline.status === 'missing') md.push(`The baseline \`${workspacePath(baseline.path)}\` does not exist yet: run \`compress run --update-baseline\` and commit it.`, '');
    else if (baseline.status === 'written') md.push(`The baseline \`${workspacePath(baseline.path)}\` was written from this run.`, '');
    else {
      if (baseline.status === 'void') md.push(`**The accuracy comparison is void**: the test data differs from the baseline's (CMP3102).`, '');
      md.push('| | baseline | now | change | verdict |', '| --- | ---: | ---: | --- | --- |');
      const a = baseline.accuracy;
      if (a) {
        const ci = `${signed(a.deltaPoints)} points (${num(a.confidence * 100, 2)}% CI ${signed(a.lowPoints)}..${signed(a.highPoints)}; McNemar exact over ${a.samples} samples: ${a.onlyCurrent} newly right, ${a.onlyBaseline} newly wrong)`;
        const verdict = a.regressed ? '**regression**' : a.lowPoints > 0 ? 'better' : a.highPoints < 0 ? `worse, within the ${a.tolerancePoints}-point tolerance` : 'no difference shown';
        md.push(`| test accuracy | ${pct(a.baseline)} | ${pct(a.current)} | ${ci} | ${verdict} |`);
      }
      const s = baseline.size;
      if (s) md.push(`| ONNX bytes | ${s.baseline.toLocaleString('en-US')} | ${s.current.toLocaleString('en-US')} | ${signed(((s.current - s.baseline) / s.baseline) * 100, 1)}% | ${s.regressed ? '**regression**' : 'ok'} |`);
      for (const l of baseline.latency ?? []) {
        const times = (v) => (v == null ? '-' : `${v.toFixed(2)}x`);
        const change = `${times(l.change)} (CI ${times(l.changeLow)}..${times(l.changeHigh)} over ${l.rounds} interleaved rounds; tolerance ${times(1 + l.tolerance)})`;
        const verdict = l.verdict === 'regressed' ? '**regression**' : l.verdict === 'inconclusive' ? '**inconclusive**: re-run' : 'ok';
        md.push(`| student latency, batch ${l.batchSize} (ms, timed beside the baseline's model) | ${num(l.baselineMs, 3)} | ${num(l.currentMs, 3)} | ${change} | ${verdict} |`);
      }
      md.push('');
    }
  }
  if (result.budgets?.length) {
    md.push('### Budgets', '', '| budget | limit | measured | verdict |', '| --- | ---: | ---: | --- |');
    for (const b of result.budgets) {
      md.push(`| ${b.budget} | ${b.kind === 'min' ? '>=' : '<='} ${num(b.limit, 4)} | ${num(b.actual, 4)} | ${b.passed ? 'passed' : '**missed**'} |`);
    }
    md.push('');
  }
  if (result.findings?.length) {
    md.push('### Findings', '');
    for (const f of result.findings) {
      const where = workspacePath(f.file);
      md.push(`- **${f.code}** (${f.severity})${where ? ` at \`${where}${f.line ? `:${f.line}` : ''}\`` : ''}: ${cell(f.message)}`);
    }
    md.push('');
  }
  return md.join('\n') + '\n';
}

/** The files worth keeping: report.md, result.json, images report.md links, and the ML-BOM when there is one. */
export function artifactFiles(resultPath, result) {
  const work = path.dirname(resultPath);
  const files = [resultPath];
  const report = path.join(work, 'report.md');
  if (fs.existsSync(report)) {
    files.push(report);
    for (const m of fs.readFileSync(report, 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const image = path.resolve(work, m[1]);
      if (!/^[a-z]+:/i.test(m[1]) && fs.existsSync(image)) files.push(image);
    }
  }
  const bom = typeof result.bom === 'string' ? path.resolve(work, result.bom) : typeof result.bom?.path === 'string' ? path.resolve(work, result.bom.path) : path.join(work, 'bom.cdx.json');
  if (fs.existsSync(bom)) files.push(bom);
  const sarif = path.join(work, 'findings.sarif');
  if (fs.existsSync(sarif)) files.push(sarif);
  return [...new Set(files)];
}

function setOutputs(outputs) {
  const lines = [];
  for (const [name, value] of Object.entries(outputs)) {
    const text = value == null ? '' : String(value);
    if (text.includes('\n')) {
      const delimiter = `compress_gate_${Math.random().toString(36).slice(2)}`;
      lines.push(`${name}<<${delimiter}`, text, delimiter);
    } else lines.push(`${name}=${text}`);
  }
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, lines.join('\n') + '\n');
  else console.log(lines.join('\n'));
}

function build(project) {
  const args = ['build', project, '-nologo'];
  const configuration = input('configuration');
  if (configuration) args.push('-c', configuration);
  const extra = input('build-args');
  if (extra) args.push(...extra.split(/\s+/));
  console.log(`::group::dotnet ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(input('dotnet', 'dotnet'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = [];
    let pending = '';
    const take = (chunk) => {
      pending += chunk.toString('utf8');
      const parts = pending.split(/\r?\n/);
      pending = parts.pop();
      for (const line of parts) {
        log.push(line);
        console.log(echoLine(line));
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => {
      console.log(`::endgroup::`);
      resolve({ code: 127, log: [`${error.message}`] });
    });
    child.on('close', (code) => {
      if (pending) {
        log.push(pending);
        console.log(echoLine(pending));
      }
      console.log('::endgroup::');
      resolve({ code: code ?? 1, log });
    });
  });
}

export async function main() {
  const given = input('result');
  const project = input('project');
  if (!given && !project) {
    console.log('::error title=compress-gate::the action needs the input "project" (the app project to build), or "result" (a result.json to report)');
    return 2;
  }
  let buildCode = 0;
  let log = [];
  let resultPath;
  let fresh = true;
  let started = Date.now();
  const label = project || given;
  if (given) {
    resultPath = path.resolve(workspace, given);
    const logFile = input('build-log');
    if (logFile) log = fs.readFileSync(path.resolve(workspace, logFile), 'utf8').split(/\r?\n/);
  } else {
    const projectPath = path.resolve(workspace, project);
    const projectDir = fs.existsSync(projectPath) && fs.statSync(projectPath).isDirectory() ? projectPath : path.dirname(projectPath);
    resultPath = path.join(path.resolve(workspace, input('work-dir', path.join(projectDir, 'obj', 'compression'))), 'result.json');
    started = Date.now();
    ({ code: buildCode, log } = await build(projectPath));
    // A failed build that did not rewrite result.json (bad input stops compress before it writes one)
    // leaves the previous run's file: not this build's verdict.
    fresh = fs.existsSync(resultPath) && (buildCode === 0 || fs.statSync(resultPath).mtimeMs >= started - 1000);
  }

  let result = null;
  if (fs.existsSync(resultPath) && fresh) result = JSON.parse(fs.readFileSync(resultPath, 'utf8'));
  else if (given) {
    console.log(`::error title=compress-gate::${escapeData(`no result.json at ${resultPath}`)}`);
    return 2;
  }

  // Findings: from the findings.sarif compress wrote for this build (every outcome, bad input too),
  // else from result.json, else from the build log (a compress too old to write SARIF).
  const sarifPath = path.join(path.dirname(resultPath), 'findings.sarif');
  const sarif = given || (fs.existsSync(sarifPath) && fs.statSync(sarifPath).mtimeMs >= started - 1000) ? readSarif(sarifPath) : null;
  const findings = sarif ?? (result ? result.findings ?? [] : log.map(parseFinding).filter(Boolean));
  const seen = new Set();
  for (const finding of findings) {
    const line = annotation(finding);
    if (!seen.has(line)) console.log(line);
    seen.add(line);
  }
  const passed = buildCode === 0 && (result ? result.passed === true : true);
  const shown = result ?? { passed, findings };
  const summary = summaryMarkdown({ ...shown, passed }, { label: workspacePath(label) ?? label });
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, summary);
  else console.log(summary);

  const metrics = result?.metrics ?? {};
  const speedupBatch = input('speedup-batch', '1');
  setOutputs({
    passed,
    accuracy: metrics['student.accuracy'] ?? '',
    retention: metrics['accuracy.retention'] ?? '',
    speedup: metrics[`speedup.batch${speedupBatch}`] ?? '',
    result: result ? resultPath : '',
    report: result && fs.existsSync(path.join(path.dirname(resultPath), 'report.md')) ? path.join(path.dirname(resultPath), 'report.md') : '',
    artifacts: result ? artifactFiles(resultPath, result).join('\n') : '',
  });
  if (!result && buildCode === 0) {
    console.log(`::warning title=compress-gate::${escapeData(`the build passed but wrote no ${resultPath}: does the project use Compression.Build, with CompressionEnabled true?`)}`);
  }
  return passed ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main();
}

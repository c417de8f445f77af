#!/usr/bin/env node
// A stand-in for the GitHub CLI (`gh`) for the release workflow's publish job (marketplace.test.ts): the calls that job
// makes, answered from a local git repository as the GitHub REST API would answer them for the repository on GitHub.
// The API itself cannot run here; anything else the job asks fails loudly, so a new call in release.yml shows up.
//   GH_STAND_IN_REPO the repository's owner/name on GitHub: a call for another repository fails
//   GH_STAND_IN_GIT  the repository's git directory (its tags are GitHub's tags)
//   GH_STAND_IN_LOG  a file that gets one JSON line per release created: {tag, title, notes}
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const git = (...gitArgs) => execFileSync('git', ['--git-dir', process.env.GH_STAND_IN_GIT ?? '', ...gitArgs], { encoding: 'utf8' }).trim();
const gitOk = (...gitArgs) => {
  try {
    return git(...gitArgs);
  } catch {
    return undefined;
  }
};
const fail = (message, code = 1) => {
  process.stderr.write(`gh (stand-in): ${message}\n`);
  process.exit(code);
};
/** The value after `flag` (`-f sha=…` gives the field's value for `name`). */
const option = (flag) => {
  const at = args.indexOf(flag);
  return at < 0 ? undefined : args[at + 1];
};
const field = (name) => {
  for (let i = 0; i < args.length - 1; i++)
    if ((args[i] === '-f' || args[i] === '-F') && args[i + 1].startsWith(`${name}=`)) return args[i + 1].slice(name.length + 1);
  return undefined;
};

if (args[0] === 'release' && args[1] === 'create') {
  const tag = args[2];
  if (option('--repo') !== process.env.GH_STAND_IN_REPO) fail(`release create for ${option('--repo')}, not ${process.env.GH_STAND_IN_REPO}`);
  if (!args.includes('--verify-tag') || !gitOk('rev-parse', '--verify', `refs/tags/${tag}`)) fail(`release create ${tag}: the tag does not exist`);
  const notes = readFileSync(option('--notes-file') ?? '', 'utf8');
  appendFileSync(process.env.GH_STAND_IN_LOG ?? '', `${JSON.stringify({ tag, title: option('--title'), notes })}\n`);
  process.exit(0);
}

if (args[0] !== 'api') fail(`unmodelled call: gh ${args.join(' ')}`, 2);
const method = option('-X') ?? 'GET';
const path = args.find((arg, i) => i > 0 && arg.startsWith('repos/') && !['-X', '-H', '-f', '-F', '--jq'].includes(args[i - 1])) ?? '';
const [, owner, name, ...rest] = path.split('?')[0].split('/');
if (`${owner}/${name}` !== process.env.GH_STAND_IN_REPO) fail(`a call for ${owner}/${name}, not ${process.env.GH_STAND_IN_REPO}: gh ${args.join(' ')}`);
const route = rest.join('/');

if (method === 'GET' && route.startsWith('commits/tags/') && option('--jq') === '.sha') {
  const sha = gitOk('rev-parse', `refs/tags/${route.slice('commits/tags/'.length)}^{commit}`);
  if (!sha) fail('404 Not Found');
  process.stdout.write(`${sha}\n`);
} else if (method === 'GET' && route.startsWith('contents/') && option('-H') === 'Accept: application/vnd.github.raw') {
  const ref = new URLSearchParams(path.split('?')[1] ?? '').get('ref') ?? 'HEAD';
  process.stdout.write(execFileSync('git', ['--git-dir', process.env.GH_STAND_IN_GIT ?? '', 'show', `${ref}:${route.slice('contents/'.length)}`]));
} else if (method === 'GET' && route.startsWith('git/ref/tags/')) {
  if (!gitOk('rev-parse', '--verify', `refs/tags/${route.slice('git/ref/tags/'.length)}`)) fail('404 Not Found');
} else if (method === 'PATCH' && route.startsWith('git/refs/tags/')) {
  const ref = `refs/tags/${route.slice('git/refs/tags/'.length)}`;
  if (!gitOk('rev-parse', '--verify', ref)) fail('422 Reference does not exist');
  git('update-ref', ref, field('sha') ?? '');
} else if (method === 'POST' && route === 'git/refs') {
  const ref = field('ref') ?? '';
  if (gitOk('rev-parse', '--verify', ref)) fail('422 Reference already exists');
  git('update-ref', ref, field('sha') ?? '');
} else {
  fail(`unmodelled call: gh ${args.join(' ')}`, 2);
}

// The ecosystem's own tools for GitHub Actions, at the versions scripts/test-tools.mjs pins: actionlint (with
// ShellCheck for `run:` scripts), zizmor and act. The global setup installs them and passes their paths to the
// test workers in CAC_TEST_TOOLS.

import { spawn } from 'node:child_process';

export interface EcosystemTools {
  readonly actionlint: string;
  readonly shellcheck: string;
  readonly zizmor: string;
  readonly act: string;
}

interface InstalledTool {
  readonly dir: string;
  readonly bins: Record<string, string>;
}

export function ecosystemTools(): EcosystemTools {
  const installed = JSON.parse(process.env.CAC_TEST_TOOLS ?? '{}') as Record<string, InstalledTool>;
  const bin = (tool: string, name = tool): string => {
    const path = installed[tool]?.bins[name];
    if (!path) throw new Error(`test tool ${tool} is not installed: run the tests with jest, whose global setup installs it (scripts/test-tools.mjs)`);
    return path;
  };
  return { actionlint: bin('actionlint'), shellcheck: bin('shellcheck'), zizmor: bin('zizmor'), act: bin('act') };
}

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool to its end; its exit code is the caller's to judge. */
export function runTool(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * No Docker daemon runs here, so the image is checked against what it relies on: the server's
 * entry point and variables, its health endpoint, and the README's commands.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dockerfile = readFileSync('Dockerfile', 'utf8');
const compose = readFileSync('compose.yaml', 'utf8');
const readme = readFileSync('README.md', 'utf8');
const config = readFileSync('src/server/serverConfig.ts', 'utf8');
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const appServer = readFileSync('src/server/appServer.ts', 'utf8');

/** The variables the server reads. */
const serverVariables = [...config.matchAll(/text\('([A-Z_]+)'\)/g)].map((match) => match[1]);

describe('the Docker image', () => {
  it('builds in one stage and runs in another, as a user other than root, with data in a volume', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('VOLUME ["/data"]');
    expect(dockerfile).toMatch(/^ENV HOST=0\.0\.0\.0 PORT=8080 DATA_DIR=\/data$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
  });

  it('runs what `npm run server` runs, and checks the health endpoint the server serves', () => {
    const entry = scripts.server?.replace(/^tsx /, '') ?? '';
    expect(entry).toBe('src/server/serverMain.ts');
    expect(dockerfile).toContain(`CMD ["node", "--import", "tsx", "${entry}"]`);
    expect(dockerfile).toContain("fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health')");
    expect(appServer).toContain("app.get('/health'");
  });

  it('is configured with the variables the server reads, all documented in the README', () => {
    const composed = [...compose.matchAll(/^\s+#?\s*([A-Z_]+):/gm)].map((match) => match[1]);
    expect(composed.length).toBeGreaterThan(0);
    for (const name of composed) expect(serverVariables, name).toContain(name);
    for (const name of serverVariables) expect(readme, name).toContain(`\`${name}\``);
    expect(compose).toContain('/data');
    expect(readme).toContain('docker compose up -d');
  });
});

import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/engine/redact/redact';
import { isSecretPath } from '../../src/engine/walk/fileKinds';

/** Secrets as they sit inside ordinary source files (fakes with real shapes). */
const SECRETS: Array<[string, string, string]> = [
  ['aws key id', 'config.ts', 'export const awsKeyId = "AKIAZ7Q3LXWVN2PB4RTU";\n'],
  ['aws secret', 'config.ts', 'const creds = { aws_secret_access_key: "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" };\n'],
  ['github token', 'ci.ts', 'const gh = "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";\n'],
  ['stripe live key', 'pay.js', 'stripe(  "sk_live_51H8xQ2eZvKYlo2C9aB3cD5eF7gH9iJ2kL4mN" );\n'],
  ['database url password', 'db.py', 'DATABASE = "postgres://admin:hunter2Secret@db.example.com:5432/prod"\n'],
  ['pem block in a string', 'tls.ts', 'const key = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naFDrBz9vFqU4yZ5Q3Yb7WJ9Xq2oqXbLXkG0RrJj4p0bRs6ZoKQQvZt3vL1mw==\n-----END RSA PRIVATE KEY-----`;\nexport default key;\n'],
  ['yaml password', 'deploy.yaml', 'database:\n  user: app\n  password: yamlPassw0rd!\n'],
  ['slack webhook', 'notify.go', 'const hook = "https://hooks.slack.com/services/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"\n'],
];

const SECRET_VALUES = [
  'AKIAZ7Q3LXWVN2PB4RTU', 'q8Jx2LmP0vR7sT9uWyZ1aB3cD5eF7gH9iJ2kL4mN', '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',
  'sk_live_51H8xQ2eZvKYlo2C9aB3cD5eF7gH9iJ2kL4mN', 'hunter2Secret', 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn', 'yamlPassw0rd!',
  'aZ9yX8wV7uT6sR5qP4oN3mL2',
];

describe('redactSecrets', () => {
  it.each(SECRETS)('replaces a %s with a visible marker and keeps every line', async (_, relPath, text) => {
    const out = await redactSecrets(text, relPath);
    for (const value of SECRET_VALUES) expect(out.text).not.toContain(value);
    expect(out.text).toMatch(/«redacted: [a-z0-9-]+»/);
    expect(out.text.split('\n').length).toBe(text.split('\n').length);
    expect(out.redactions.length).toBeGreaterThan(0);
  });

  it('names the rule and the line of each redaction', async () => {
    const text = 'line one\nconst gh = "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";\nconst url = "mysql://root:Zq8vLp2x@localhost/db";\n';
    const out = await redactSecrets(text, 'a.ts');
    expect(out.redactions).toEqual([{ line: 2, rule: 'github-token' }, { line: 3, rule: 'url-password' }]);
    expect(out.text).toBe('line one\nconst gh = "«redacted: github-token»";\nconst url = "mysql://root:«redacted: url-password»@localhost/db";\n');
  });

  it('leaves nothing behind per file: scanning thousands of files stays as fast as the first', async () => {
    for (let i = 0; i < 200; i++) await redactSecrets(`export const value${i} = ${i};\n`, `f${i}.ts`);
    expect(performance.getEntriesByType('mark')).toHaveLength(0);
  });

  it('leaves ordinary code alone: types, calls, placeholders, environment lookups', async () => {
    const text = [
      'interface Login { password: string; token: Token }',
      'const token = nextToken(input);',
      'const password = process.env.DB_PASSWORD;',
      'const url = `postgres://${user}:${password}@${host}/db`;',
      'DB_PASSWORD=${DB_PASSWORD}',
      'api_key: <your-api-key>',
      'secret = "changeme"',
      'self.auth = auth',
      'password_field = "password"',
      '$this->pushToken(/* Token::EOF_TYPE */ -1);',
      'if (token == previousToken) return;',
      '$token = $stream->expect(/* Token::NAME_TYPE */ 5);',
      '    ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth",',
      '    backend: "Backend", private_key: "_DSAPrivateKey", data: bytes',
      "\t'[protocol://][user[:password]@]proxyhost[:port]'",
      ' * "git fetch http://user:pass@host/repo..." scrubbed the userinfo',
    ].join('\n');
    const out = await redactSecrets(text, 'login.ts');
    expect(out.redactions).toEqual([]);
    expect(out.text).toBe(text);
  });
});

describe('isSecretPath', () => {
  const credentialFiles = [
    '.env', '.env.production', '.envrc', 'production.env', '.env~', '.docker/config.json', 'home/.kube/config', 'kubeconfig',
    'terraform.tfvars', 'prod.tfvars.json', 'wp-config.php', '.s3cfg', '.boto', '.vault-token', '_netrc', '.netrc', 'htpasswd',
    '.htpasswd', 'config/credentials.yml.enc', 'config/master.key', 'src/main/resources/application-prod.properties',
    'token.txt', 'secret.txt', 'secrets.yaml', 'passwords.txt', 'api_keys.json', '.aws/credentials', '.my.cnf', '.pgpass',
  ];
  it.each(credentialFiles)('treats %s as a credential file', (relPath) => {
    expect(isSecretPath(relPath)).toBe(true);
  });

  const sourceFiles = ['src/env.ts', 'src/environment.ts', 'lib/tokens.py', 'secrets.go', 'auth/token.ts', 'config.json', 'docker/config.json', 'application.properties', 'kube/config.go', 'passwords.rs'];
  it.each(sourceFiles)('indexes %s', (relPath) => {
    expect(isSecretPath(relPath)).toBe(false);
  });
});

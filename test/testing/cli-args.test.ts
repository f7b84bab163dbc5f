import { DEFAULT_PORT, DEFAULT_REDIRECT_URI, parseCliArgs } from '../../lib/testing/cli/args';
import { mergeEnv } from '../../lib/testing/cli/env-file';
import { HELP } from '../../lib/testing/cli/help';

describe('parseCliArgs', () => {
  it('starts the emulator on the fixed default port with defaults', () => {
    expect(parseCliArgs(['emulator'])).toEqual({ kind: 'emulator', port: DEFAULT_PORT, redirectUri: DEFAULT_REDIRECT_URI, force: false });
    expect(DEFAULT_PORT).toBe(4100);
  });

  it('reads every option, in both --name value and --name=value forms', () => {
    expect(
      parseCliArgs([
        'emulator',
        '--port=0',
        '--client-id',
        'client_mine',
        '--api-key=sk_mine',
        '--redirect-uri',
        'http://localhost:8080/auth/callback',
        '--access-token-ttl',
        '60',
        '--data',
        'seed.json',
        '--env-file',
        '.env',
        '--force',
      ]),
    ).toEqual({
      kind: 'emulator',
      port: 0,
      clientId: 'client_mine',
      apiKey: 'sk_mine',
      redirectUri: 'http://localhost:8080/auth/callback',
      accessTokenTtlSeconds: 60,
      dataFile: 'seed.json',
      envFile: '.env',
      force: true,
    });
    expect(parseCliArgs(['emulator', '-p', '5000'])).toMatchObject({ port: 5000 });
  });

  it('answers help for --help and -h, with or without the command', () => {
    for (const argv of [['--help'], ['-h'], ['emulator', '--help'], ['emulator', '--port', '1', '-h']]) {
      expect(parseCliArgs(argv)).toEqual({ kind: 'help' });
    }
  });

  it.each([
    [[], /Missing command/],
    [['serve'], /Unknown command 'serve'/],
    [['emulator', 'extra'], /Unexpected argument 'extra'/],
    [['emulator', '--prot', '1'], /--prot/],
    [['emulator', '--port'], /--port/],
    [['emulator', '--port', '65536'], /--port must be a whole number from 0 to 65535/],
    [['emulator', '--port', '-1'], /--port/],
    [['emulator', '--port', '12ab'], /not '12ab'/],
    [['emulator', '--access-token-ttl', '0'], /--access-token-ttl/],
    [['emulator', '--redirect-uri', 'localhost:3000/callback'], /--redirect-uri must be an absolute/],
    [['emulator', '--env-file='], /--env-file needs a value/],
    [['emulator', '--force'], /--force only applies with --env-file/],
  ])('refuses %j with a message', (argv, message) => {
    const result = parseCliArgs(argv);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.message).toMatch(message);
  });

  it('documents every option it reads in --help', () => {
    for (const flag of [
      '--port',
      '-p',
      '--client-id',
      '--api-key',
      '--redirect-uri',
      '--access-token-ttl',
      '--data',
      '--env-file',
      '--force',
      '--help',
      '-h',
    ]) {
      expect(HELP).toContain(flag);
    }
    expect(HELP).toContain(`default ${DEFAULT_PORT}`);
  });
});

describe('mergeEnv (the --env-file contents)', () => {
  const entries = [
    ['WORKOS_CLIENT_ID', 'client_emulator'],
    ['WORKOS_API_PORT', '4100'],
  ] as const;

  it('creates the file’s contents from nothing', () => {
    expect(mergeEnv('', entries, false)).toEqual({
      text: '# The local WorkOS emulator (npx authkit-express emulator)\nWORKOS_CLIENT_ID=client_emulator\nWORKOS_API_PORT=4100\n',
      written: ['WORKOS_CLIENT_ID', 'WORKOS_API_PORT'],
      kept: [],
    });
  });

  it('appends missing keys, keeps present ones (quoted, exported or commented) and everything else as it was', () => {
    const existing = '# mine\nPORT=3000\nexport WORKOS_CLIENT_ID="client_real"  \n';
    expect(mergeEnv(existing, entries, false)).toEqual({
      text: '# mine\nPORT=3000\nexport WORKOS_CLIENT_ID="client_real"  \n\n# The local WorkOS emulator (npx authkit-express emulator)\nWORKOS_API_PORT=4100\n',
      written: ['WORKOS_API_PORT'],
      kept: [{ key: 'WORKOS_CLIENT_ID', value: 'client_real' }],
    });
    expect(mergeEnv('WORKOS_API_PORT=4000 # old\r\n', entries, false).kept).toEqual([{ key: 'WORKOS_API_PORT', value: '4000' }]);
  });

  it('replaces present keys in place with force, every line of them', () => {
    const existing = 'A=1\nWORKOS_API_PORT=4000\nB=2\nWORKOS_API_PORT=4001\n';
    expect(mergeEnv(existing, entries, true)).toEqual({
      text: 'A=1\nWORKOS_API_PORT=4100\nB=2\nWORKOS_API_PORT=4100\n\n# The local WorkOS emulator (npx authkit-express emulator)\nWORKOS_CLIENT_ID=client_emulator\n',
      written: ['WORKOS_CLIENT_ID', 'WORKOS_API_PORT'],
      kept: [],
    });
  });

  it('changes nothing when every key is already there', () => {
    const existing = 'WORKOS_CLIENT_ID=x\nWORKOS_API_PORT=y\n';
    expect(mergeEnv(existing, entries, false).text).toBe(existing);
  });
});

import { DEFAULT_PORT, DEFAULT_REDIRECT_URI } from './args';

export const HELP = `Usage: authkit-express emulator [options]

Starts a local WorkOS emulator for developing an app against authkit-express with no WorkOS
account and no network: hosted sign-in page, code exchange, refresh, JWKS, sign-out, and a
dashboard at /dashboard (sessions, revoke, expire, failing refreshes, key rotation). It prints
the WORKOS_* settings that point your app at it. Data lives in memory until the emulator stops.

Options:
  -p, --port <n>              Port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one and prints it)
      --client-id <id>        Client id it accepts (default client_emulator)
      --api-key <key>         API key it accepts (default sk_test_emulator)
      --redirect-uri <url>    WORKOS_REDIRECT_URI to suggest (default ${DEFAULT_REDIRECT_URI});
                              the emulator accepts any http(s) callback
      --access-token-ttl <s>  Access-token lifetime in seconds (default 300); short tokens let you
                              watch your app refresh (it refreshes 30 s before expiry)
      --data <file.json>      Users, organizations, roles and memberships to start with:
                              {"users":[{"id":"user_1","email":"ada@example.com"}],
                               "organizations":[{"id":"org_1","name":"Acme"}],
                               "roles":[{"slug":"admin","permissions":["posts:write"]}],
                               "memberships":[{"userId":"user_1","organizationId":"org_1","role":"admin"}]}
      --env-file <path>       Also write the WORKOS_* settings to this file (created if missing);
                              keys already in it are kept
      --force                 With --env-file: replace keys already in the file
  -h, --help                  Show this help

Stop it with Ctrl+C (SIGINT) or SIGTERM.
`;

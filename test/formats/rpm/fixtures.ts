/** The rich fixture: a service package using every entry kind, flag, scriptlet and relation kind. */
import { RPMSENSE } from '../../../src/config/resolved.js';
import { data, dir, file, metaOf, planOf, sourceTree, symlink } from './helpers.js';

export const SERVER_JS = 'require("http").createServer((q, r) => r.end("pong")).listen(8080);\n';
export const CONFIG = '{ "port": 8080 }\n';
const UNIT = '[Service]\nExecStart=/usr/bin/ping-svc\n';
const src = () => sourceTree({ 'server.js': SERVER_JS, 'LICENSE': 'MIT License\n' });

/** A package with every entry kind and flag the writer supports. */
export function richFixture(name = 'ping-svc') {
  const s = src();
  const plan = planOf(
    file('/usr/lib/ping-svc/server.js', `${s}/server.js`, Buffer.byteLength(SERVER_JS)),
    data('/usr/lib/ping-svc/bin/run', '#!/bin/sh\nexec node /usr/lib/ping-svc/server.js\n', 0o755),
    symlink('/usr/bin/ping-svc', '../lib/ping-svc/bin/run'),
    data('/etc/ping-svc/config.json', CONFIG, 0o640, { config: true, noreplace: true }),
    data('/usr/share/doc/ping-svc/README', 'read me\n', 0o644, { doc: true }),
    file('/usr/share/licenses/ping-svc/LICENSE', `${s}/LICENSE`, 12, 0o644, { license: true }),
    data('/usr/lib/systemd/system/ping-svc.service', UNIT),
    { ...dir('/var/lib/ping-svc', 0o750), owner: 'ping-svc', group: 'ping-svc' },
    data('/var/log/ping-svc/ping.log', '', 0o640, { ghost: true }),
  );
  const meta = metaOf({
    name,
    relations: {
      requires: [{ name: 'nodejs', flags: RPMSENSE.GREATER | RPMSENSE.EQUAL, version: '18' }],
      provides: [{ name: 'ping-service', flags: RPMSENSE.EQUAL, version: '1.0' }],
      conflicts: [{ name: 'old-ping', flags: RPMSENSE.LESS, version: '2' }],
      recommends: [{ name: 'curl', flags: 0, version: '' }],
    },
  });
  const scripts = {
    pre: { body: 'getent passwd ping-svc >/dev/null || useradd -r ping-svc\nexit 0\n' },
    post: { body: 'systemctl daemon-reload >/dev/null 2>&1 || :\n' },
    preun: { body: 'if [ "$1" -eq 0 ]; then systemctl stop ping-svc || :; fi\n' },
    postun: { body: 'if [ "$1" -ge 1 ]; then systemctl try-restart ping-svc || :; fi\n' },
    posttrans: { body: 'echo done\n', interpreter: '/bin/bash' },
  };
  return { plan, meta, scripts };
}


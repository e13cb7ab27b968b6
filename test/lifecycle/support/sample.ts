/** A sample Node.js service package for the lifecycle tests. */
import type { ServiceSpec } from '../../../src/config/schema.js';
import type { LifecycleInput } from '../../../src/lifecycle/index.js';
import { createTemplateLookup } from '../../../src/templates/index.js';

export const PKG = 'hello-service';
export const UNIT = 'hello-service.service';

/** The hello-service fixture's service, with `service` fields overriding the defaults. */
export function sampleInput(service: Partial<ServiceSpec> = {}, extra: Partial<LifecycleInput> = {}): LifecycleInput {
  return {
    packageName: PKG,
    version: '1.0.0',
    services: [{ name: PKG, description: 'Hello HTTP service', environment: { PORT: '8089' }, ...service }],
    users: [],
    groups: [],
    app: { dir: `/usr/lib/${PKG}`, main: 'server.js', startScript: 'node server.js' },
    ownedPaths: [],
    userScripts: {},
    lookup: createTemplateLookup(),
    mtime: 1700000000,
    // The launcher (on by default with services) has its own tests in test/launcher; these tests
    // and their golden files cover the service lifecycle with the command in ExecStart directly.
    launcher: false,
    ...extra,
  };
}

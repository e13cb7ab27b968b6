/** The .deb format: the Format adaptor over the resolver, writer and reader. */
import { resolveDeb } from '../../config/resolve-deb.js';
import type { Format } from '../format.js';
import { renderControl } from './control.js';
import { installedSize } from './installed-size.js';
import { debFileName, writeDeb } from './writer.js';

export const debFormat: Format<'deb'> = {
  name: 'deb',
  debianDocs: true,
  resolve: (project, arch) => resolveDeb(project, arch),
  identity: (meta) => ({ name: meta.package, version: meta.version, arch: meta.architecture, maintainer: meta.maintainer, homepage: meta.homepage, label: `${meta.package} ${meta.version} ${meta.architecture} (.deb)` }),
  fileName: debFileName,
  withScriptDependencies: (meta, deps) => deps.deb.length === 0 ? meta : {
    ...meta,
    relations: { ...meta.relations, Depends: [...new Set([...(meta.relations.Depends ?? []), ...deps.deb])] },
  },
  describe: (target) => renderControl(target.meta, installedSize(target.plan.entries)),
  build: (target, out) => writeDeb(target.plan, target.meta, target.scripts, out),
  // The reader (and tar-stream under it) is loaded only when a package is read, never for a build.
  read: async (path) => (await import('./reader.js')).inspectDeb(path),
};

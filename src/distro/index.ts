/**
 * What a distribution packager does beyond laying out files: shared-library dependencies
 * (dpkg-shlibdeps, rpm's elfdeps), compressed man/info pages, stripping into debug packages,
 * and env shebangs made absolute.
 */
export { applyDistro, distroOptions, type DistroOptions, type DistroResult } from './apply.js';
export { DistroSession } from './session.js';
export { debShlibDepends, type DebLibraryHost, type DebShlibDepends, type PackagedElf } from './deb-shlibdeps.js';
export { dpkgHost, systemLibraryDirs, ldsoConfDirs, type DpkgHostOptions } from './dpkg-host.js';
export { parseSymbolsFile, shlibsDependency, splitSoname, type SymbolsObject, type SymbolEntry } from './deb-symbols.js';
export { elfDeps, type ElfDeps } from './rpm-elfdeps.js';
export { compressDocs, gzipReproducible, isCompressibleDoc } from './compress-docs.js';
export { mangleShebangs, mangleShebangLine, interpreterPath } from './shebangs.js';
export { Stripper, hostDebArch, type StripInput, type Stripped } from './strip.js';
export { debDebugTarget, rpmDebugTarget, buildIdPath, type DebugFile } from './debug-package.js';
export { npmManContents } from './npm-man.js';

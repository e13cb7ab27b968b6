/**
 * The default step table: load → verify → stage → package → publish → notify.
 * Each step reads and extends the BuildContext; the runner drives them in order.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { normalizeArch } from '../config/arch.js';
import { loadProject } from '../config/load.js';
import { packageName } from '../config/names.js';
import { MkpkgError } from '../errors.js';
import { targetFormat } from '../formats/registry.js';
import type { Artifact } from '../formats/types.js';
import { defaultAppDir, layoutNodeApp, type PackageJsonLike } from '../plan/node-app.js';
import { prepareNodeRuntime, type NodeRuntime } from '../plan/node-runtime.js';
import { OutputBatch } from '../output/batch.js';
import { normalizeDst } from '../plan/paths.js';
import { stagePlan } from '../plan/stage.js';
import { SourceScan } from '../plan/source-scan.js';
import { entrySize } from '../plan/types.js';
import { templateLookup } from '../templates/index.js';
import { formatSize } from '../reporter.js';
import { readSignKey } from '../sign/index.js';
import { collectGarbage, COLLECT_AFTER_ENTRIES } from '../proc/heap.js';
import { ownFiles } from './own-files.js';
import { precheck } from './precheck.js';
import { prepareTarget, projectLifecycle } from './prepare.js';
import { DistroSession } from '../distro/index.js';
import { runHook, tagError, type HookTable } from './runner.js';
import type { BuildContext, Output, Plugin, PublishResult, Step, Target } from './types.js';

/** What the steps need beyond the context: hooks, plugins and outputs, gathered once `load` ran. */
export interface StepDeps {
  hooks: HookTable;
  plugins: Plugin[];
  outputs: Output[];
  /** Prints the plan for --dry-run. */
  printPlan(ctx: BuildContext): void;
}

function slotsOf(ctx: BuildContext, plugins: Plugin[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (src: Record<string, string | string[]> | undefined) => {
    for (const [k, v] of Object.entries(src ?? {})) (out[k] ??= []).push(...(Array.isArray(v) ? v : [v]));
  };
  add(ctx.project?.config.slots);
  for (const p of plugins) add(p.slots);
  return out;
}

/** The Node.js CPU name npm matches optional dependencies against: the explicit target's, else the host's. */
function targetCpu(arch: string | undefined): string {
  return (arch ? normalizeArch(arch).node : undefined) ?? process.arch;
}

/** The bundled Node.js runtime (`runtime.node`), checked against the explicit architecture; cleaned up with the build. */
async function bundledRuntime(ctx: BuildContext, appDir: string): Promise<NodeRuntime | undefined> {
  const project = ctx.project!;
  const spec = project.config.runtime?.node;
  if (spec === undefined) return undefined;
  ctx.reporter.phase?.('bundling runtime', spec);
  const runtime = await prepareNodeRuntime({
    projectDir: project.dir, spec, appDir, arch: project.config.arch, engines: project.packageJson?.engines?.node,
  });
  ctx.defer(() => runtime.cleanup());
  for (const w of runtime.warnings) ctx.warn(w);
  return runtime;
}

/** Build the default steps bound to `deps`. */
export function defaultSteps(deps: StepDeps): Step[] {
  /** The build's one pass over its source trees: `verify` plans through it, `package` reads through its open files. */
  let scan: SourceScan | undefined;

  const load: Step = {
    name: 'load',
    async run(ctx) {
      const o = ctx.options;
      ctx.project = await loadProject(o.dir, {
        configFile: o.configFile,
        cli: { version: o.version, release: o.release, arch: o.arch, compression: o.compression, level: o.level },
        layers: o.workspace?.layers,
      });
      for (const w of ctx.project.warnings) ctx.warn(w);
    },
  };

  const verify: Step = {
    name: 'verify',
    async run(ctx) {
      const project = ctx.project!;
      const cfg = project.config;
      const lookup = templateLookup({
        projectDir: project.dir,
        projectTemplatesDir: cfg.templatesDir,
        pluginDirs: deps.plugins.filter((p) => p.templates).map((p) => ({ plugin: p.name, dir: p.templates! })),
      });
      const used = new Map<string, string>();
      lookup.onResolve = (t) => used.set(t.name, `${t.origin}${t.from.label ? ` ${t.from.label}` : ''}: ${t.file}`);
      const slots = slotsOf(ctx, deps.plugins);
      const appCfg = cfg.app === false ? undefined : cfg.app;
      const nodeApp = project.isNodeApp && project.packageJson !== undefined && cfg.app !== false;
      if (!nodeApp && cfg.runtime?.node !== undefined) {
        throw new MkpkgError('E_CONFIG_INVALID', `runtime.node ${JSON.stringify(cfg.runtime.node)} is set, but ${project.isNodeApp && cfg.app === false ? 'app is false' : 'the project is not a Node.js app (no package.json)'}, so there is no app directory to bundle it in`, {
          hint: 'remove runtime.node, or package the project as a Node.js app (package.json, app not false)', details: { path: 'runtime.node' },
        });
      }
      const appDir = nodeApp ? normalizeDst(appCfg?.dir ?? defaultAppDir(packageName(project).name), 'app.dir') : undefined;
      const fromProject = await projectLifecycle(project, appDir);
      let app;
      if (appDir !== undefined) {
        // Listing and installing dependencies is slow: every check that does not need them runs first.
        await precheck({
          project, formats: ctx.options.formats, app: { bin: appCfg?.bin ?? true },
          fromProject, lookup, slots, sourceDateEpoch: ctx.options.sourceDateEpoch,
        });
        const runtime = await bundledRuntime(ctx, appDir);
        app = await layoutNodeApp({
          projectDir: project.dir,
          packageJson: project.packageJson as unknown as PackageJsonLike,
          appDir,
          nodeModules: appCfg?.nodeModules ?? 'production',
          bin: appCfg?.bin ?? true,
          // Without --arch, a bundled runtime's architecture is the target's.
          cpu: targetCpu(cfg.arch ?? runtime?.arch),
          exclude: ownFiles(project, [ctx.options.outDir, ctx.options.stageDir, ...(cfg.runtime?.node ? [resolve(project.dir, cfg.runtime.node)] : [])]),
          installDependencies: ctx.options.workspace?.installDependencies,
          onPhase: (phase, detail) => ctx.reporter.phase?.(phase === 'listing' ? 'listing files' : 'installing dependencies', detail),
        });
        const cleanup = app.cleanup;
        ctx.defer(() => cleanup());
        for (const w of app.warnings) ctx.warn(w);
        if (runtime) app.contents.push(...runtime.contents);
      }
      ctx.targets = [];
      const distro = new DistroSession();
      ctx.defer(() => distro.cleanup());
      const sources = (scan = new SourceScan({ shareWalks: ctx.options.formats.length > 1 }));
      ctx.defer(() => sources.close());
      for (const format of ctx.options.formats) {
        ctx.reporter.phase?.('planning', format);
        const { target, debugTarget, warnings } = await prepareTarget({
          project, format, sourceDateEpoch: ctx.options.sourceDateEpoch, app, lookup,
          slots, distro, fromProject, scan: sources,
        });
        for (const w of warnings) ctx.warn(w);
        ctx.targets.push(target, ...(debugTarget ? [debugTarget] : []));
        const files = target.plan.entries.filter((e) => e.kind === 'file' || e.kind === 'data');
        ctx.reporter.phase?.('planning', `${format}: ${files.length} files, ${formatSize(files.reduce((n, e) => n + entrySize(e), 0))}`);
      }
      sources.endPlanning();
      for (const [name, from] of [...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) ctx.reporter.verbose(`template ${name} <- ${from}`);
      if (ctx.options.dryRun) {
        deps.printPlan(ctx);
        ctx.stop = true;
      }
    },
  };

  const stage: Step = {
    name: 'stage',
    async run(ctx) {
      const next: Target[] = [];
      for (const t of ctx.targets) {
        const target = await runHook(deps.hooks, 'beforeStage', t, ctx, 'stage');
        if (ctx.options.stageDir) {
          // The debug package's tree goes beside the main one (STAGEDIR/deb-debug, or STAGEDIR-debug for one format).
          const multi = ctx.options.formats.length > 1;
          const base = multi ? join(ctx.options.stageDir, target.format) : ctx.options.stageDir.replace(/\/+$/, '');
          const dir = target.role === 'debug' ? `${base}-debug` : base;
          await mkdir(dir, { recursive: true });
          await stagePlan(target.plan, dir);
          if (target.role !== 'debug') ctx.stageDirs[target.format] = dir;
          ctx.reporter.info(`staged ${target.format} tree in ${dir} (${target.plan.entries.length} entries)`);
        }
        await runHook(deps.hooks, 'afterStage', target, ctx, 'stage');
        next.push(target);
      }
      ctx.targets = next;
    },
  };

  const pkg: Step = {
    name: 'package',
    async run(ctx) {
      const o = ctx.options;
      await mkdir(o.outDir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
        throw new MkpkgError('E_OUTPUT_UNWRITABLE', `cannot create output directory ${o.outDir} (${e.code})`, { hint: 'choose another directory with -o/--out' });
      });
      const { compression, level } = ctx.project!.compression;
      const signKey = o.signKey ? await readSignKey(o.signKey, process.env.MKPKG_SIGN_PASSPHRASE) : undefined;
      // Every package of the build is published together, once all are written and the afterPackage
      // hooks passed; a failure anywhere leaves the output directory as it was (see OutputBatch).
      const batch = new OutputBatch({ signal: o.signal });
      try {
        const artifacts: Artifact[] = [...ctx.artifacts];
        for (const t of ctx.targets) {
          const target = await runHook(deps.hooks, 'beforePackage', t, ctx, 'package');
          // What planning (or the previous package) left behind goes before the compressor starts beside node.
          if (target.plan.entries.length >= COLLECT_AFTER_ENTRIES) collectGarbage();
          const opts = {
            outDir: o.outDir, compression, level, sourceDateEpoch: o.sourceDateEpoch, signal: o.signal, batch,
            ...(scan ? { openSource: scan.open.bind(scan) } : {}),
            onProgress: (done: number, total: number) => ctx.reporter.progress(`${target.format}`, done, total),
          };
          artifacts.push(await targetFormat(target).build(target, { ...opts, signKey }));
        }
        batch.commit();
        ctx.artifacts = await runHook(deps.hooks, 'afterPackage', artifacts, ctx, 'package');
        batch.finish();
      } catch (e) {
        batch.rollback();
        throw e;
      }
    },
  };

  const runOutputs = (kind: 'publish' | 'notify'): Step['run'] => async (ctx) => {
    if (ctx.options.publish === false) {
      if (deps.outputs.some((x) => (x.kind ?? 'publish') === kind)) ctx.reporter.verbose(`${kind}: outputs skipped (--no-publish)`);
      return;
    }
    for (const out of deps.outputs.filter((x) => (x.kind ?? 'publish') === kind)) {
      ctx.reporter.verbose(`output ${out.name}${out.plugin ? ` (plugin ${out.plugin})` : ''}`);
      let r: PublishResult | void;
      try {
        r = await out.run(ctx.artifacts, ctx);
      } catch (e) {
        throw tagError(e, { step: kind, plugin: out.plugin, output: out.name });
      }
      ctx.published.push(r ?? { output: out.name, ok: true });
      if (r?.location) ctx.reporter.info(`${out.name}: ${r.location}${r.detail ? ` (${r.detail})` : ''}`);
    }
    if (kind === 'publish') ctx.published = await runHook(deps.hooks, 'afterPublish', ctx.published, ctx, 'publish');
  };

  return [load, verify, stage, pkg, { name: 'publish', run: runOutputs('publish') }, { name: 'notify', run: runOutputs('notify') }];
}

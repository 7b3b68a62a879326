import type { Command } from 'commander';
import { Option } from 'commander';
import type { Image } from '../../core/workspaces/images.js';
import { printJson, type CliIo } from '../cli-io.js';
import { confirmDestructive } from '../confirm.js';
import { withContext, type GlobalOptions } from '../context.js';
import { table, usd } from '../format.js';
import { withProgress } from './workspace-commands.js';

interface RegionOption {
  region?: string;
}

/** Baked images: a provisioned workspace kept as a snapshot, so the next one starts with its layers done. */
export function registerImageCommands(program: Command, io: CliIo): void {
  const globals = () => program.opts<GlobalOptions>();
  const region = () => new Option('--region <region>', 'the region, when the name is used in several');

  program
    .command('bake <workspace>')
    .description('snapshot a ready workspace as an image tagged with its layer digests; "porthole create NAME --image IMAGE" starts from it')
    .requiredOption('--as <image>', 'the image name, e.g. dev-2026-05')
    .addOption(region())
    .action((workspace: string, options: RegionOption & { as: string }) =>
      withContext(globals(), io, async (ctx) => {
        const image = await withProgress(ctx, io, `bake ${workspace}`, (onProgress) =>
          ctx.engine.bake(workspace, options.as, options.region ? { region: options.region } : {}, onProgress),
        );
        if (ctx.json) return printJson(io, image);
        io.stdout.write(
          `Image "${image.name}" is ${image.state} in ${image.region}: ${image.sizeInGb} GB, ${usd(image.monthlyUsd)}/month, layers ${image.layers.join(', ')}. ` +
            `"porthole create NAME --image ${image.name}" starts from it.\n`,
        );
      }),
    );

  const images = program
    .command('images')
    .description('list the baked images with their size, monthly cost and layers')
    .action(() =>
      withContext(globals(), io, async (ctx) => {
        const found = await ctx.engine.listImages();
        if (ctx.json) return printJson(io, found);
        if (found.length === 0) {
          io.stdout.write('No images. Bake one from a ready workspace with "porthole bake WORKSPACE --as IMAGE".\n');
          return;
        }
        io.stdout.write(`${imageTable(found)}\n`);
        const total = found.reduce((sum, image) => sum + image.monthlyUsd, 0);
        io.stdout.write(`Images cost ${usd(total)}/month in snapshot storage.\n`);
      }),
    );

  images
    .command('delete <image>')
    .description('delete a baked image (workspaces made from it keep their own disks)')
    .option('-y, --yes', 'do not ask for confirmation')
    .addOption(region())
    .action((image: string, options: RegionOption & { yes?: boolean }) =>
      withContext(globals(), io, async (ctx) => {
        await confirmDestructive(io, `Delete image "${image}"?`, options.yes === true);
        await ctx.engine.deleteImage(image, options.region ? { region: options.region } : {});
        if (ctx.json) return printJson(io, { deleted: image });
        io.stdout.write(`Image "${image}" is deleted.\n`);
      }),
    );
}

function imageTable(images: readonly Image[]): string {
  return table(
    ['IMAGE', 'STATE', 'REGION', 'SIZE', 'PER MONTH', 'FROM', 'LAYERS'],
    images.map((image) => [
      image.name,
      image.state,
      image.region,
      `${image.sizeInGb} GB`,
      usd(image.monthlyUsd),
      image.fromWorkspace ?? '-',
      image.layers.map((layer) => `${layer}@${(image.layerDigests[layer] ?? '').slice(0, 8)}`).join(','),
    ]),
  );
}


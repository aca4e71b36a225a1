import { pack, type Header } from 'tar-stream';

/** One entry of a tar built in a test: a header plus, for regular files, the content. */
export type TarEntry = Partial<Header> & { name: string; content?: string | Buffer };

/** Builds an uncompressed tar in memory with tar-stream's packer. */
export async function buildTar(entries: TarEntry[]): Promise<Buffer> {
  const packer = pack();
  const chunks: Buffer[] = [];
  packer.on('data', (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const finished = new Promise<void>((resolve, reject) => {
    packer.on('end', () => resolve());
    packer.on('error', reject);
  });
  for (const { content, ...header } of entries) {
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (content === undefined) packer.entry(header, done);
      else packer.entry(header, content, done);
    });
  }
  packer.finalize();
  await finished;
  return Buffer.concat(chunks);
}

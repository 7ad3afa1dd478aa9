/** The entry point of the `recipe` the images carry: one file, run by the image's Node.js. */
import { main } from './recipe-cli.ts';

process.exitCode = await main(process.argv);
